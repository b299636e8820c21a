#include "core/cleaning/clean_config.h"

#include "core/cleaning/unicode_script.h"
#include "core/common/config_reader.h"
#include "core/common/config_validator.h"
#include "core/common/error.h"
#include "core/common/toml_text.h"

#include <fmt/format.h>

namespace strata::cleaning {

using common::ConfigValidator;
using common::tomlBool;
using common::tomlFloat;
using common::tomlStrings;

CleanConfig readCleanConfig(common::ConfigReader& reader) {
    CleanConfig c;
    reader.read("input.text_field", c.input.textField);
    reader.read("input.max_document_bytes", c.input.maxDocumentBytes);
    reader.read("html.enabled", c.html.enabled);
    reader.read("html.detect", c.html.detect);
    reader.read("terminal_escapes.enabled", c.terminalEscapes.enabled);
    reader.read("mask.urls", c.mask.urls);
    reader.read("mask.emails", c.mask.emails);
    reader.read("mask.phones", c.mask.phones);
    reader.read("mask.ips", c.mask.ips);
    reader.read("normalize.nfkc", c.normalize.nfkc);
    reader.read("normalize.remove_control", c.normalize.removeControl);
    reader.read("normalize.whitespace", c.normalize.whitespace);
    reader.read("words.enabled", c.words.enabled);
    reader.read("words.min", c.words.minWords);
    reader.read("words.max", c.words.maxWords);
    reader.read("entropy.enabled", c.entropy.enabled);
    reader.read("entropy.min_bits", c.entropy.minBits);
    GopherQualityOptions& g = c.gopherQuality;
    reader.read("gopher_quality.enabled", g.enabled);
    reader.read("gopher_quality.min_mean_word_length", g.minMeanWordLength);
    reader.read("gopher_quality.max_mean_word_length", g.maxMeanWordLength);
    reader.read("gopher_quality.max_symbol_word_ratio", g.maxSymbolWordRatio);
    reader.read("gopher_quality.max_bullet_line_fraction", g.maxBulletLineFraction);
    reader.read("gopher_quality.max_ellipsis_line_fraction", g.maxEllipsisLineFraction);
    reader.read("gopher_quality.min_alpha_word_fraction", g.minAlphaWordFraction);
    RepetitionOptions& r = c.repetition;
    reader.read("repetition.enabled", r.enabled);
    reader.read("repetition.max_duplicate_line_fraction", r.maxDuplicateLineFraction);
    reader.read("repetition.max_duplicate_paragraph_fraction", r.maxDuplicateParagraphFraction);
    reader.read("repetition.max_duplicate_line_char_fraction", r.maxDuplicateLineCharFraction);
    reader.read("repetition.max_duplicate_paragraph_char_fraction",
                r.maxDuplicateParagraphCharFraction);
    for (int k = 0; k < kNumTopNgrams; ++k)
        reader.read(fmt::format("repetition.max_top_{}gram_char_fraction", kTopNgramMin + k),
                    r.maxTopNgramCharFraction[size_t(k)]);
    for (int k = 0; k < kNumDuplicateNgrams; ++k)
        reader.read(
            fmt::format("repetition.max_duplicate_{}gram_char_fraction", kDuplicateNgramMin + k),
            r.maxDuplicateNgramCharFraction[size_t(k)]);
    reader.read("blocklist.path", c.blocklist.path);
    reader.read("blocklist.min_hits", c.blocklist.minHits);
    reader.read("script.enabled", c.script.enabled);
    reader.read("script.allowed", c.script.allowed);
    reader.read("script.min_share", c.script.minShare);
    reader.read("exact_dedup.enabled", c.exactDedup.enabled);
    MinHashOptions& m = c.nearDedup;
    reader.read("near_dedup.enabled", m.enabled);
    reader.read("near_dedup.shingle_words", m.shingleWords);
    reader.read("near_dedup.num_hashes", m.numHashes);
    reader.read("near_dedup.bands", m.bands);
    reader.read("near_dedup.threshold", m.threshold);
    reader.read("near_dedup.seed", m.seed);
    reader.finish();

    ConfigValidator v(reader);
    v.require(!c.input.textField.empty(), "input.text_field", "a field name");
    v.require(c.input.maxDocumentBytes > 0 && c.input.maxDocumentBytes <= int64_t(UINT32_MAX),
              "input.max_document_bytes", "between 1 and 4294967295");
    v.require(c.words.minWords >= 0, "words.min", "at least 0");
    v.require(c.words.maxWords >= c.words.minWords, "words.max", "at least words.min");
    v.require(c.entropy.minBits >= 0, "entropy.min_bits", "at least 0");
    v.require(g.minMeanWordLength <= g.maxMeanWordLength, "gopher_quality.max_mean_word_length",
              "at least gopher_quality.min_mean_word_length");
    v.require(g.maxSymbolWordRatio >= 0, "gopher_quality.max_symbol_word_ratio", "at least 0");
    v.fraction(g.maxBulletLineFraction, "gopher_quality.max_bullet_line_fraction");
    v.fraction(g.maxEllipsisLineFraction, "gopher_quality.max_ellipsis_line_fraction");
    v.fraction(g.minAlphaWordFraction, "gopher_quality.min_alpha_word_fraction");
    v.fraction(r.maxDuplicateLineFraction, "repetition.max_duplicate_line_fraction");
    v.fraction(r.maxDuplicateParagraphFraction, "repetition.max_duplicate_paragraph_fraction");
    v.fraction(r.maxDuplicateLineCharFraction, "repetition.max_duplicate_line_char_fraction");
    v.fraction(r.maxDuplicateParagraphCharFraction,
               "repetition.max_duplicate_paragraph_char_fraction");
    v.require(c.blocklist.minHits >= 1, "blocklist.min_hits", "at least 1");
    for (const std::string& name : c.script.allowed)
        v.require(
            scriptFromName(name).has_value(), "script.allowed",
            "a list of latin, greek, cyrillic, armenian, hebrew, arabic, devanagari, bengali, "
            "thai, georgian, hangul, han, hiragana, katakana, other");
    v.fraction(c.script.minShare, "script.min_share");
    v.require(m.shingleWords >= 1 && m.shingleWords <= 64, "near_dedup.shingle_words",
              "between 1 and 64");
    v.require(m.numHashes >= 1 && m.numHashes <= 1024, "near_dedup.num_hashes",
              "between 1 and 1024");
    v.require(m.bands >= 1 && m.bands <= m.numHashes && m.numHashes % std::max(1, m.bands) == 0,
              "near_dedup.bands", "a divisor of near_dedup.num_hashes");
    v.require(m.threshold > 0.0 && m.threshold <= 1.0, "near_dedup.threshold", "in (0, 1]");
    v.finish();
    return c;
}

std::string defaultCleanConfigText() {
    const CleanConfig c;
    const GopherQualityOptions& g = c.gopherQuality;
    const RepetitionOptions& r = c.repetition;
    const MinHashOptions& m = c.nearDedup;
    std::string text = fmt::format(
        R"(# strata-cli clean: the default configuration, every key with its default.
# Stages run in this order for each document: html, terminal_escapes, mask, normalize, the filters
# (words, entropy, gopher_quality, repetition, blocklist, script), then exact_dedup and near_dedup
# across the corpus (first occurrence wins). Every stage can be disabled. Override one key on the
# command line with --set KEY=VALUE, e.g. --set words.min=20. Unknown keys are errors.

[input]
# The JSONL field that holds the document text (--text-field overrides it).
text_field = "{}"
# A document (a .txt/.html file, or one JSONL line) longer than this many bytes is skipped as it
# streams past and counted as oversized; the reader never holds more than this.
max_document_bytes = {}

[html]
# .html/.htm input: keep the visible text (drop script, style, comments; block elements become
# paragraph breaks; named and numeric entities decoded). When false all markup is kept as text.
enabled = {}
# Convert .txt and JSONL documents whose text is markup in the same way: those that begin with
# '<' and hold a <!doctype html>, an <html>, <head> or <body> element or a <script> or <style>
# element (opened and closed), or whose tags of HTML elements (3 or more, one closing) make a
# fifth of the bytes. Prose (even prose showing a page as an example), math such as a < b > c,
# and code stay text. Turn off for corpora of code or Markdown with inline HTML.
detect = {}

[terminal_escapes]
# Remove terminal escape sequences whole (colours and cursor moves ESC [ ... m, titles and links
# ESC ] ... BEL, two-byte ESC sequences) before masking, so neither their parameters ("[1;36m")
# nor a URL right after one survive. Only sequences starting with ESC: "[1]" is text.
enabled = {}

[mask]
# Replace URLs (http://, https://, ftp://, www.) with <URL>.
urls = {}
# Replace e-mail addresses with <EMAIL>.
emails = {}
# Replace phone numbers (8 to 15 digits in separated groups) with <PHONE>.
phones = {}
# Replace IPv4 addresses with <IP>.
ips = {}

[normalize]
# Unicode NFKC (compatibility forms folded: full-width letters, ligatures, non-breaking spaces).
nfkc = {}
# Remove control characters (except tab and line breaks) and invisible format characters
# (soft hyphen, zero-width space, byte-order mark; ZWJ and ZWNJ stay).
remove_control = {}
# Collapse runs of spaces, trim lines, unify line breaks, keep at most one blank line.
# A document that is empty after this stage is removed as normalize.empty.
whitespace = {}

[words]
# Keep documents with min <= words <= max. Words are separated by white space; each Han, Hiragana
# or Katakana character is a word of its own.
enabled = {}
min = {}
max = {}

[entropy]
# Remove documents whose character distribution has a Shannon entropy below min_bits bits per
# character (repeated characters, keyboard mashing, tables of numbers). English prose is about 4.2.
enabled = {}
min_bits = {}

[gopher_quality]
# The Gopher quality rules (Rae et al. 2021).
enabled = {}
# Mean word length in characters, over space-separated words; it applies when they are at least
# half of the words (CJK characters count as words of their own and are left out of the mean).
min_mean_word_length = {}
max_mean_word_length = {}
# Occurrences of '#' and of ellipses ("..." or U+2026) per word, at most.
max_symbol_word_ratio = {}
# Fraction of non-empty lines starting with a bullet (-, *, U+2022, ...), at most.
max_bullet_line_fraction = {}
# Fraction of non-empty lines ending with an ellipsis, at most.
max_ellipsis_line_fraction = {}
# Fraction of words containing at least one letter, at least.
min_alpha_word_fraction = {}

[repetition]
# The Gopher repetition rules, counted as datatrove does. Character fractions are fractions of
# the document's UTF-8 bytes.
enabled = {}
# Lines (non-empty) and paragraphs (separated by blank lines) equal to an earlier one: their
# share of all lines / paragraphs, and their share of the characters, at most.
max_duplicate_line_fraction = {}
max_duplicate_paragraph_fraction = {}
max_duplicate_line_char_fraction = {}
max_duplicate_paragraph_char_fraction = {}
# Characters covered by the most frequent word 2-, 3- and 4-gram (times its count), at most.
max_top_2gram_char_fraction = {}
max_top_3gram_char_fraction = {}
max_top_4gram_char_fraction = {}
# Characters in word 5- to 10-grams that repeat an earlier n-gram, at most.
max_duplicate_5gram_char_fraction = {}
max_duplicate_6gram_char_fraction = {}
max_duplicate_7gram_char_fraction = {}
max_duplicate_8gram_char_fraction = {}
max_duplicate_9gram_char_fraction = {}
max_duplicate_10gram_char_fraction = {}

[blocklist]
# A file of blocked words, one per line ('#' starts a comment); matched case-insensitively against
# whole words, surrounding punctuation ignored. Empty: no blocklist. A missing file is an error.
path = "{}"
# Remove a document holding at least this many blocked words.
min_hits = {}

[script]
# Keep documents whose letters are mostly in the allowed scripts: latin, greek, cyrillic,
# armenian, hebrew, arabic, devanagari, bengali, thai, georgian, hangul, han, hiragana,
# katakana, other. For Chinese use ["han"], for Japanese ["han", "hiragana", "katakana"].
enabled = {}
allowed = {}
# Share of letters in an allowed script, at least. A document without letters is removed.
min_share = {}

[exact_dedup]
# Remove documents whose final text (after html, terminal_escapes, mask and normalize) equals an
# earlier one's, by 128-bit hash.
enabled = {}

[near_dedup]
# MinHash + LSH near-duplicate removal: documents whose estimated Jaccard similarity of word
# shingles with an earlier kept document reaches threshold are removed.
enabled = {}
# Words per shingle (CJK characters count as words, so CJK text gets character shingles).
shingle_words = {}
# Hash functions in a signature; bands must divide it (rows per band = num_hashes / bands).
num_hashes = {}
bands = {}
# Estimated Jaccard similarity at or above which a candidate pair is a duplicate.
threshold = {}
# Seed of the hash functions; the same seed gives the same result on any machine.
seed = {}
)",
        c.input.textField, c.input.maxDocumentBytes, tomlBool(c.html.enabled),
        tomlBool(c.html.detect), tomlBool(c.terminalEscapes.enabled), tomlBool(c.mask.urls),
        tomlBool(c.mask.emails), tomlBool(c.mask.phones), tomlBool(c.mask.ips),
        tomlBool(c.normalize.nfkc), tomlBool(c.normalize.removeControl),
        tomlBool(c.normalize.whitespace), tomlBool(c.words.enabled), c.words.minWords,
        c.words.maxWords, tomlBool(c.entropy.enabled), tomlFloat(c.entropy.minBits),
        tomlBool(g.enabled), tomlFloat(g.minMeanWordLength), tomlFloat(g.maxMeanWordLength),
        tomlFloat(g.maxSymbolWordRatio), tomlFloat(g.maxBulletLineFraction),
        tomlFloat(g.maxEllipsisLineFraction), tomlFloat(g.minAlphaWordFraction),
        tomlBool(r.enabled), tomlFloat(r.maxDuplicateLineFraction),
        tomlFloat(r.maxDuplicateParagraphFraction), tomlFloat(r.maxDuplicateLineCharFraction),
        tomlFloat(r.maxDuplicateParagraphCharFraction), tomlFloat(r.maxTopNgramCharFraction[0]),
        tomlFloat(r.maxTopNgramCharFraction[1]), tomlFloat(r.maxTopNgramCharFraction[2]),
        tomlFloat(r.maxDuplicateNgramCharFraction[0]),
        tomlFloat(r.maxDuplicateNgramCharFraction[1]),
        tomlFloat(r.maxDuplicateNgramCharFraction[2]),
        tomlFloat(r.maxDuplicateNgramCharFraction[3]),
        tomlFloat(r.maxDuplicateNgramCharFraction[4]),
        tomlFloat(r.maxDuplicateNgramCharFraction[5]), c.blocklist.path, c.blocklist.minHits,
        tomlBool(c.script.enabled), tomlStrings(c.script.allowed), tomlFloat(c.script.minShare),
        tomlBool(c.exactDedup.enabled), tomlBool(m.enabled), m.shingleWords, m.numHashes, m.bands,
        tomlFloat(m.threshold), m.seed);
    return text;
}

}  // namespace strata::cleaning
