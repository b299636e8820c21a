// Seeded text for the tokenizer tests: random strings drawn from the scripts and character
// classes the pre-tokenization patterns care about, and a small fixed multilingual corpus.
// Everything here is deterministic for a given seed.
#pragma once

#include "core/common/json_writer.h"
#include "core/common/utf8.h"

#include <cstdint>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace strata::tokenizer::test {

// Code point ranges, each [first, last]. U+180E is left out on purpose: PCRE2 counts it as \s,
// Unicode (and the fast path) does not (see regex_splitter.h).
struct Range {
    char32_t first;
    char32_t last;
};

inline const std::vector<Range>& textRanges() {
    static const std::vector<Range> ranges = {
        {'a', 'z'},         {'A', 'Z'},         {'0', '9'},
        {'!', '/'},         {':', '@'},         {'[', '`'},
        {'{', '~'},         {' ', ' '},         {'\t', '\r'},
        {0x01, 0x08},       {0x0E, 0x1F},       {0x7F, 0x7F},  // controls
        {0x85, 0x85},       {0xA0, 0xA0},       {0x1680, 0x1680},
        {0x2000, 0x200A},   {0x2028, 0x2029},   {0x202F, 0x202F},
        {0x205F, 0x205F},   {0x3000, 0x3000},  // Unicode white space
        {0xC0, 0xFF},       {0x17F, 0x17F},     {0x1C5, 0x1C5},
        {0x2B0, 0x2B8},                        // Latin, ſ, Lt, Lm
        {0x300, 0x36F},     {0x0483, 0x0489},  // combining marks
        {0x391, 0x3C9},     {0x410, 0x44F},     {0x5D0, 0x5EA},
        {0x627, 0x64A},     {0x660, 0x669},     {0x905, 0x939},
        {0x93E, 0x94D},     {0x966, 0x96F},     {0xE01, 0xE30},
        {0x10A0, 0x10C5},   {0x2160, 0x2188},   {0xB2, 0xB3},
        {0xBC, 0xBE},       {0x2070, 0x2070},   {0x2460, 0x2473},
        {0x3041, 0x3096},   {0x30A1, 0x30FA},   {0x4E00, 0x4FFF},
        {0xAC00, 0xAD00},   {0xFF10, 0xFF19},   {0xFF21, 0xFF3A},
        {0x2010, 0x2027},   {0x20A0, 0x20BF},   {0x2190, 0x21FF},
        {0xE000, 0xE010},   {0x200B, 0x200D},   {0xFE0F, 0xFE0F},
        {0x1F1E6, 0x1F1FF}, {0x1F300, 0x1F3FA}, {0x1F3FB, 0x1F3FF},
        {0x1F600, 0x1F64F}, {0x1D400, 0x1D44F}, {0x20000, 0x20100},
    };
    return ranges;
}

// Runs of characters from one range at a time (so letters form words and digits numbers),
// with apostrophe contractions and newline clusters mixed in.
inline std::string randomText(std::mt19937& rng, size_t numRuns) {
    const auto& ranges = textRanges();
    std::uniform_int_distribution<size_t> pickRange(0, ranges.size() - 1);
    std::uniform_int_distribution<int> runLength(1, 6);
    std::uniform_int_distribution<int> special(0, 19);
    static const char* const kExtras[] = {"'s",        "'T", "'re",  "'VE",  "'m",    "'Ll", "'d",
                                          "'\xC5\xBF", "'x", "\r\n", "\n\n", "  \n ", " ",   "'"};
    std::uniform_int_distribution<size_t> pickExtra(0, std::size(kExtras) - 1);
    std::string out;
    for (size_t run = 0; run < numRuns; ++run) {
        if (special(rng) == 0) {
            out += kExtras[pickExtra(rng)];
            continue;
        }
        const Range& range = ranges[pickRange(rng)];
        std::uniform_int_distribution<uint32_t> pick(range.first, range.last);
        for (int i = runLength(rng); i > 0; --i)
            common::appendUtf8(out, pick(rng));
    }
    return out;
}

// A small corpus with the features the interop test must agree on: CJK, emoji (with ZWJ and
// skin tones), combining marks, numbers, contractions, whitespace runs, CR LF and tabs.
inline std::vector<std::string> fixtureCorpus() {
    std::vector<std::string> corpus = {
        "The quick brown fox jumps over the lazy dog. It's 2024, and we'll see 1234567 foxes.",
        "I'm sure they've said you're right; don't you think so? THE END.",
        "    indented code:\n\tfor (int i = 0; i < 10; ++i) {\n\t\tsum += i * 3.14159;\n\t}\n",
        "中文分词测试：我们今天去公园散步，天气非常好。东京和北京都是大城市。",
        "日本語のテキストです。ひらがなとカタカナと漢字。",
        "한국어 문장도 있습니다. 안녕하세요!",
        "Emoji: 😀😃😄 👍🏽 👨‍👩‍👧‍👦 🇫🇷🇩🇪 ❤️ done.",
        "Combining: e\xCC\x81 a\xCC\x88 n\xCC\x83 — Zalgo: Z\xCD\x91\xCD\x97"
        "a\xCC\xBEl\xCD\x90g\xCD\x8Ao",
        "Numbers: 3.14, 2,718, 1e-9, 0x1F, ½ ¾ ² ³ ٣٤٥ ４５６.",
        "Whitespace   runs\t\tand\r\nwindows\r\nlines\n\n\nand trailing   \n",
        "Ελληνικά κείμενα και русский текст и עברית ועוד العربية.",
        "Mixed: naïve café résumé São Paulo Zürich Ærøskøbing.",
        "Code: std::vector<int> v{1, 2, 3}; // comment\n#include <map>\nreturn 0;",
        "URLs: https://example.com/path?q=1&r=2#frag and user@example.org.",
    };
    std::mt19937 rng(20240601);
    for (int i = 0; i < 40; ++i)
        corpus.push_back(randomText(rng, 60));
    // Repeat the natural-language lines so that pairs pass the minimum frequency.
    for (int i = 0; i < 3; ++i)
        for (size_t j = 0; j < 14; ++j)
            corpus.push_back(corpus[j]);
    return corpus;
}

// One JSON string a line: how the tests hand texts to the Hugging Face scripts.
inline void writeJsonLines(const std::string& path, const std::vector<std::string>& strings) {
    std::ofstream out(path, std::ios::binary);
    for (const std::string& text : strings) {
        std::string line;
        common::appendJsonString(line, text);
        out << line << '\n';
    }
}

}  // namespace strata::tokenizer::test
