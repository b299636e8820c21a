#include "core/cleaning/clean_config.h"

#include "core/cleaning/unicode_script.h"
#include "core/common/config_table.h"

#include <fmt/format.h>

namespace strata::cleaning {

using common::atLeast;
using common::between;
using common::ConfigTable;
using common::ValueCheck;

namespace {

const ValueCheck<double> kFraction = between(0.0, 1.0);

constexpr const char* kHeader =
    R"(# strata-cli clean: the default configuration, every key with its default.
# Stages run in this order for each document: html, terminal_escapes, mask, normalize, the filters
# (words, entropy, gopher_quality, repetition, blocklist, script), then exact_dedup and near_dedup
# across the corpus (first occurrence wins). Every stage can be disabled. Override one key on the
# command line with --set KEY=VALUE, e.g. --set words.min=20. Unknown keys are errors.
)";

const ConfigTable<InputOptions>& inputTable() {
    static const auto table =
        ConfigTable<InputOptions>("input")
            .key("text_field", &InputOptions::textField,
                 "The JSONL field that holds the document text (--text-field overrides it).",
                 {[](const std::string& field) { return !field.empty(); }, "a field name"})
            .key("max_document_bytes", &InputOptions::maxDocumentBytes,
                 "A document (a .txt/.html file, or one JSONL line) longer than this many bytes is "
                 "skipped as it\n"
                 "streams past and counted as oversized; the reader never holds more than this.",
                 between<int64_t>(1, UINT32_MAX));
    return table;
}

const ConfigTable<HtmlOptions>& htmlTable() {
    static const auto table =
        ConfigTable<HtmlOptions>("html")
            .key("enabled", &HtmlOptions::enabled,
                 ".html/.htm input: keep the visible text (drop script, style, comments; block "
                 "elements become\n"
                 "paragraph breaks; named and numeric entities decoded). When false all markup is "
                 "kept as text.")
            .key(
                "detect", &HtmlOptions::detect,
                "Convert .txt and JSONL documents whose text is markup in the same way: those "
                "that begin with\n"
                "'<' and hold a <!doctype html>, an <html>, <head> or <body> element or a <script> "
                "or <style>\n"
                "element (opened and closed), or whose tags of HTML elements (3 or more, one "
                "closing) make a\n"
                "fifth of the bytes. Prose (even prose showing a page as an example), math such "
                "as a < b > c,\n"
                "and code stay text. Turn off for corpora of code or Markdown with inline HTML.");
    return table;
}

const ConfigTable<TerminalEscapeOptions>& terminalEscapesTable() {
    static const auto table = ConfigTable<TerminalEscapeOptions>("terminal_escapes")
                                  .key("enabled", &TerminalEscapeOptions::enabled,
                                       "Remove terminal escape sequences whole (colours and cursor "
                                       "moves ESC [ ... m, titles and links\n"
                                       "ESC ] ... BEL, two-byte ESC sequences) before masking, so "
                                       "neither their parameters (\"[1;36m\")\n"
                                       "nor a URL right after one survive. Only sequences starting "
                                       "with ESC: \"[1]\" is text.");
    return table;
}

const ConfigTable<MaskOptions>& maskTable() {
    static const auto table =
        ConfigTable<MaskOptions>("mask")
            .key("urls", &MaskOptions::urls,
                 "Replace URLs (http://, https://, ftp://, www.) with <URL>.")
            .key("emails", &MaskOptions::emails, "Replace e-mail addresses with <EMAIL>.")
            .key("phones", &MaskOptions::phones,
                 "Replace phone numbers (8 to 15 digits in separated groups) with <PHONE>.")
            .key("ips", &MaskOptions::ips, "Replace IPv4 addresses with <IP>.");
    return table;
}

const ConfigTable<NormalizeOptions>& normalizeTable() {
    static const auto table =
        ConfigTable<NormalizeOptions>("normalize")
            .key("nfkc", &NormalizeOptions::nfkc,
                 "Unicode NFKC (compatibility forms folded: full-width letters, ligatures, "
                 "non-breaking spaces).")
            .key("remove_control", &NormalizeOptions::removeControl,
                 "Remove control characters (except tab and line breaks) and invisible format "
                 "characters\n"
                 "(soft hyphen, zero-width space, byte-order mark; ZWJ and ZWNJ stay).")
            .key("whitespace", &NormalizeOptions::whitespace,
                 "Collapse runs of spaces, trim lines, unify line breaks, keep at most one blank "
                 "line.\n"
                 "A document that is empty after this stage is removed as normalize.empty.");
    return table;
}

const ConfigTable<WordCountOptions>& wordsTable() {
    static const auto table =
        ConfigTable<WordCountOptions>("words")
            .key("enabled", &WordCountOptions::enabled,
                 "Keep documents with min <= words <= max. Words are separated by white space; "
                 "each Han, Hiragana\n"
                 "or Katakana character is a word of its own.")
            .key("min", &WordCountOptions::minWords, "", atLeast<int64_t>(0))
            .key("max", &WordCountOptions::maxWords);
    return table;
}

const ConfigTable<EntropyOptions>& entropyTable() {
    static const auto table =
        ConfigTable<EntropyOptions>("entropy")
            .key("enabled", &EntropyOptions::enabled,
                 "Remove documents whose character distribution has a Shannon entropy below "
                 "min_bits bits per\n"
                 "character (repeated characters, keyboard mashing, tables of numbers). English "
                 "prose is about 4.2.")
            .key("min_bits", &EntropyOptions::minBits, "", atLeast(0.0));
    return table;
}

const ConfigTable<GopherQualityOptions>& gopherQualityTable() {
    static const auto table =
        ConfigTable<GopherQualityOptions>("gopher_quality")
            .key("enabled", &GopherQualityOptions::enabled,
                 "The Gopher quality rules (Rae et al. 2021).")
            .key("min_mean_word_length", &GopherQualityOptions::minMeanWordLength,
                 "Mean word length in characters, over space-separated words; it applies when "
                 "they are at least\n"
                 "half of the words (CJK characters count as words of their own and are left out "
                 "of the mean).")
            .key("max_mean_word_length", &GopherQualityOptions::maxMeanWordLength)
            .key("max_symbol_word_ratio", &GopherQualityOptions::maxSymbolWordRatio,
                 "Occurrences of '#' and of ellipses (\"...\" or U+2026) per word, at most.",
                 atLeast(0.0))
            .key("max_bullet_line_fraction", &GopherQualityOptions::maxBulletLineFraction,
                 "Fraction of non-empty lines starting with a bullet (-, *, U+2022, ...), at "
                 "most.",
                 kFraction)
            .key("max_ellipsis_line_fraction", &GopherQualityOptions::maxEllipsisLineFraction,
                 "Fraction of non-empty lines ending with an ellipsis, at most.", kFraction)
            .key("min_alpha_word_fraction", &GopherQualityOptions::minAlphaWordFraction,
                 "Fraction of words containing at least one letter, at least.", kFraction);
    return table;
}

const ConfigTable<RepetitionOptions>& repetitionTable() {
    static const auto table = [] {
        auto repetition =
            ConfigTable<RepetitionOptions>("repetition")
                .key("enabled", &RepetitionOptions::enabled,
                     "The Gopher repetition rules, counted as datatrove does. Character fractions "
                     "are fractions of\n"
                     "the document's UTF-8 bytes.")
                .key("max_duplicate_line_fraction", &RepetitionOptions::maxDuplicateLineFraction,
                     "Lines (non-empty) and paragraphs (separated by blank lines) equal to an "
                     "earlier one: their\n"
                     "share of all lines / paragraphs, and their share of the characters, at "
                     "most.",
                     kFraction)
                .key("max_duplicate_paragraph_fraction",
                     &RepetitionOptions::maxDuplicateParagraphFraction, "", kFraction)
                .key("max_duplicate_line_char_fraction",
                     &RepetitionOptions::maxDuplicateLineCharFraction, "", kFraction)
                .key("max_duplicate_paragraph_char_fraction",
                     &RepetitionOptions::maxDuplicateParagraphCharFraction, "", kFraction);
        for (size_t k = 0; k < kNumTopNgrams; ++k)
            repetition.keyAt<double>(
                fmt::format("max_top_{}gram_char_fraction", kTopNgramMin + int(k)),
                [k](auto& r) -> auto& { return r.maxTopNgramCharFraction[k]; },
                k == 0 ? "Characters covered by the most frequent word 2-, 3- and 4-gram (times "
                         "its count), at most."
                       : "");
        for (size_t k = 0; k < kNumDuplicateNgrams; ++k)
            repetition.keyAt<double>(
                fmt::format("max_duplicate_{}gram_char_fraction", kDuplicateNgramMin + int(k)),
                [k](auto& r) -> auto& { return r.maxDuplicateNgramCharFraction[k]; },
                k == 0 ? "Characters in word 5- to 10-grams that repeat an earlier n-gram, at most."
                       : "");
        return repetition;
    }();
    return table;
}

const ConfigTable<BlocklistOptions>& blocklistTable() {
    static const auto table =
        ConfigTable<BlocklistOptions>("blocklist")
            .key("path", &BlocklistOptions::path,
                 "A file of blocked words, one per line ('#' starts a comment); matched "
                 "case-insensitively against\n"
                 "whole words, surrounding punctuation ignored. Empty: no blocklist. A missing "
                 "file is an error.")
            .key("min_hits", &BlocklistOptions::minHits,
                 "Remove a document holding at least this many blocked words.",
                 atLeast<int64_t>(1));
    return table;
}

const ConfigTable<ScriptOptions>& scriptTable() {
    auto known = [](const std::vector<std::string>& names) {
        for (const std::string& name : names)
            if (!scriptFromName(name)) return false;
        return true;
    };
    static const auto table =
        ConfigTable<ScriptOptions>("script")
            .key("enabled", &ScriptOptions::enabled,
                 "Keep documents whose letters are mostly in the allowed scripts: latin, greek, "
                 "cyrillic,\n"
                 "armenian, hebrew, arabic, devanagari, bengali, thai, georgian, hangul, han, "
                 "hiragana,\n"
                 "katakana, other. For Chinese use [\"han\"], for Japanese [\"han\", \"hiragana\", "
                 "\"katakana\"].")
            .key("allowed", &ScriptOptions::allowed, "",
                 {known,
                  "a list of latin, greek, cyrillic, armenian, hebrew, arabic, devanagari, "
                  "bengali, thai, georgian, hangul, han, hiragana, katakana, other"})
            .key("min_share", &ScriptOptions::minShare,
                 "Share of letters in an allowed script, at least. A document without letters is "
                 "removed.",
                 kFraction);
    return table;
}

const ConfigTable<ExactDedupOptions>& exactDedupTable() {
    static const auto table = ConfigTable<ExactDedupOptions>("exact_dedup")
                                  .key("enabled", &ExactDedupOptions::enabled,
                                       "Remove documents whose final text (after html, "
                                       "terminal_escapes, mask and normalize) equals an\n"
                                       "earlier one's, by 128-bit hash.");
    return table;
}

const ConfigTable<MinHashOptions>& nearDedupTable() {
    static const auto table =
        ConfigTable<MinHashOptions>("near_dedup")
            .key("enabled", &MinHashOptions::enabled,
                 "MinHash + LSH near-duplicate removal: documents whose estimated Jaccard "
                 "similarity of word\n"
                 "shingles with an earlier kept document reaches threshold are removed.")
            .key("shingle_words", &MinHashOptions::shingleWords,
                 "Words per shingle (CJK characters count as words, so CJK text gets character "
                 "shingles).",
                 between(1, 64))
            .key("num_hashes", &MinHashOptions::numHashes,
                 "Hash functions in a signature; bands must divide it (rows per band = num_hashes "
                 "/ bands).",
                 between(1, 1024))
            .key("bands", &MinHashOptions::bands)
            .key("threshold", &MinHashOptions::threshold,
                 "Estimated Jaccard similarity at or above which a candidate pair is a duplicate.",
                 {[](double t) { return t > 0.0 && t <= 1.0; }, "in (0, 1]"})
            .key("seed", &MinHashOptions::seed,
                 "Seed of the hash functions; the same seed gives the same result on any "
                 "machine.");
    return table;
}

}  // namespace

CleanConfig readCleanConfig(common::ConfigReader& reader) {
    CleanConfig c;
    common::ConfigValidator v(reader);
    inputTable().read(reader, v, c.input);
    htmlTable().read(reader, v, c.html);
    terminalEscapesTable().read(reader, v, c.terminalEscapes);
    maskTable().read(reader, v, c.mask);
    normalizeTable().read(reader, v, c.normalize);
    wordsTable().read(reader, v, c.words);
    entropyTable().read(reader, v, c.entropy);
    gopherQualityTable().read(reader, v, c.gopherQuality);
    repetitionTable().read(reader, v, c.repetition);
    blocklistTable().read(reader, v, c.blocklist);
    scriptTable().read(reader, v, c.script);
    exactDedupTable().read(reader, v, c.exactDedup);
    nearDedupTable().read(reader, v, c.nearDedup);
    reader.finish();

    // What relates two keys.
    v.require(c.words.maxWords >= c.words.minWords, "words.max", "at least words.min");
    const GopherQualityOptions& g = c.gopherQuality;
    v.require(g.minMeanWordLength <= g.maxMeanWordLength, "gopher_quality.max_mean_word_length",
              "at least gopher_quality.min_mean_word_length");
    const MinHashOptions& m = c.nearDedup;
    v.require(m.bands >= 1 && m.bands <= m.numHashes && m.numHashes % std::max(1, m.bands) == 0,
              "near_dedup.bands", "a divisor of near_dedup.num_hashes");
    v.finish();
    return c;
}

std::string defaultCleanConfigText() {
    const CleanConfig c;
    return std::string(kHeader) + "\n" + inputTable().text(c.input) + "\n" +
           htmlTable().text(c.html) + "\n" + terminalEscapesTable().text(c.terminalEscapes) + "\n" +
           maskTable().text(c.mask) + "\n" + normalizeTable().text(c.normalize) + "\n" +
           wordsTable().text(c.words) + "\n" + entropyTable().text(c.entropy) + "\n" +
           gopherQualityTable().text(c.gopherQuality) + "\n" +
           repetitionTable().text(c.repetition) + "\n" + blocklistTable().text(c.blocklist) + "\n" +
           scriptTable().text(c.script) + "\n" + exactDedupTable().text(c.exactDedup) + "\n" +
           nearDedupTable().text(c.nearDedup);
}

}  // namespace strata::cleaning
