#include "core/cleaning/quality_filters.h"

#include <cstring>

namespace strata::cleaning {

namespace {

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}
bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string_view trim(std::string_view line) {
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
        line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
        line.remove_suffix(1);
    return line;
}

bool isBulletLine(std::string_view line) {
    for (std::string_view bullet :
         {"\u2022", "-", "*", "\u2023", "\u2043", "\u25E6", "\u25AA", "\u25CF"})
        if (startsWith(line, bullet)) return true;
    return false;
}

// Non-overlapping occurrences of `symbol`, found by memchr on its first byte: glibc's
// vectorized memchr skips the text between candidates many times faster than a byte loop.
uint64_t countSymbols(std::string_view text, std::string_view symbol) {
    uint64_t count = 0;
    const char* s = text.data();
    const char* end = s + text.size();
    while (s < end) {
        const void* found = std::memchr(s, symbol.front(), size_t(end - s));
        if (!found) break;
        s = static_cast<const char*>(found);
        if (size_t(end - s) >= symbol.size() && std::memcmp(s, symbol.data(), symbol.size()) == 0) {
            ++count;
            s += symbol.size();
        } else {
            ++s;
        }
    }
    return count;
}

}  // namespace

RejectReason checkWordCount(const TextProfile& profile, const WordCountOptions& options) {
    if (!options.enabled) return RejectReason::Kept;
    auto words = int64_t(profile.words().size());
    if (words < options.minWords) return RejectReason::TooFewWords;
    if (words > options.maxWords) return RejectReason::TooManyWords;
    return RejectReason::Kept;
}

RejectReason checkEntropy(const TextProfile& profile, const EntropyOptions& options) {
    if (!options.enabled) return RejectReason::Kept;
    return profile.characterEntropy() < options.minBits ? RejectReason::LowEntropy
                                                        : RejectReason::Kept;
}

RejectReason checkGopherQuality(const TextProfile& profile, const GopherQualityOptions& options) {
    if (!options.enabled) return RejectReason::Kept;
    size_t numWords = profile.words().size();
    if (numWords == 0) return RejectReason::AlphaWords;
    uint64_t spacedWords = numWords - profile.numCjkWords();
    // Word length means nothing for CJK text: the rule applies when most words are spaced ones,
    // so the punctuation and Latin names inside a Chinese text do not decide its fate.
    if (spacedWords > 0 && spacedWords * 2 >= numWords) {
        double mean = double(profile.numOtherWordChars()) / double(spacedWords);
        if (mean < options.minMeanWordLength || mean > options.maxMeanWordLength)
            return RejectReason::MeanWordLength;
    }

    std::string_view text = profile.text();
    uint64_t symbols =
        countSymbols(text, "#") + countSymbols(text, "...") + countSymbols(text, "\u2026");
    if (double(symbols) / double(numWords) > options.maxSymbolWordRatio)
        return RejectReason::SymbolRatio;

    uint64_t lines = 0;
    uint64_t bullets = 0;
    uint64_t ellipses = 0;
    for (TextSpan span : profile.lines()) {
        std::string_view line = trim(profile.slice(span));
        if (line.empty()) continue;
        ++lines;
        bullets += isBulletLine(line);
        ellipses += endsWith(line, "...") || endsWith(line, "\u2026");
    }
    if (lines > 0) {
        if (double(bullets) / double(lines) > options.maxBulletLineFraction)
            return RejectReason::BulletLines;
        if (double(ellipses) / double(lines) > options.maxEllipsisLineFraction)
            return RejectReason::EllipsisLines;
    }
    if (double(profile.numAlphaWords()) / double(numWords) < options.minAlphaWordFraction)
        return RejectReason::AlphaWords;
    return RejectReason::Kept;
}

RejectReason checkScript(const TextProfile& profile, const std::array<bool, kNumScripts>& allowed,
                         double minShare) {
    uint64_t letters = profile.numLetters();
    if (letters == 0) return RejectReason::Script;
    uint64_t inAllowed = 0;
    for (size_t i = 0; i < kNumScripts; ++i)
        if (allowed[i]) inAllowed += profile.lettersOf(Script(i));
    return double(inAllowed) / double(letters) < minShare ? RejectReason::Script
                                                          : RejectReason::Kept;
}

}  // namespace strata::cleaning
