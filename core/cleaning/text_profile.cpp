#include "core/cleaning/text_profile.h"

#include "core/common/utf8.h"

#include <utf8proc.h>
#include <xxhash.h>

#include <algorithm>
#include <cmath>

namespace strata::cleaning {

namespace {

// 1: space that separates words; 2: ASCII letter; 0: anything else.
constexpr std::array<uint8_t, 128> kAsciiClass = [] {
    std::array<uint8_t, 128> table{};
    for (char c : {' ', '\t', '\n', '\r', '\v', '\f'})
        table[size_t(c)] = 1;
    for (char c = 'a'; c <= 'z'; ++c)
        table[size_t(c)] = 2;
    for (char c = 'A'; c <= 'Z'; ++c)
        table[size_t(c)] = 2;
    return table;
}();

bool isLetterCategory(utf8proc_category_t category) {
    return category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO;
}

}  // namespace

void TextProfile::endWord(size_t end) {
    if (!m_inWord) return;
    m_inWord = false;
    TextSpan span{uint32_t(m_wordBegin), uint32_t(end - m_wordBegin)};
    m_words.push_back(span);
    m_wordHashes.push_back(XXH3_64bits(m_text.data() + span.begin, span.length));
    m_numAlphaWords += m_wordHasLetter;
    m_numOtherWordChars += m_wordChars;
}

void TextProfile::build(std::string_view text) {
    m_text = text;
    m_words.clear();
    m_wordHashes.clear();
    m_lines.clear();
    m_letters.fill(0);
    m_asciiCounts.fill(0);
    m_otherChars.clear();
    m_numChars = m_numAlphaWords = m_numCjkWords = m_numOtherWordChars = 0;
    m_inWord = false;

    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    size_t n = text.size();
    size_t lineBegin = 0;
    uint64_t latinLetters = 0;
    size_t pos = 0;
    while (pos < n) {
        unsigned char c = s[pos];
        if (c < 0x80) {
            ++m_asciiCounts[c];
            uint8_t kind = kAsciiClass[c];
            if (kind == 1) {
                endWord(pos);
                if (c == '\n') {
                    m_lines.push_back({uint32_t(lineBegin), uint32_t(pos - lineBegin)});
                    lineBegin = pos + 1;
                }
            } else {
                if (!m_inWord) {
                    m_inWord = true;
                    m_wordBegin = pos;
                    m_wordHasLetter = false;
                    m_wordChars = 0;
                }
                ++m_wordChars;
                if (kind == 2) {
                    m_wordHasLetter = true;
                    ++latinLetters;
                }
            }
            ++pos;
            continue;
        }
        size_t start = pos;
        char32_t cp = common::decodeUtf8(text, pos);
        m_otherChars.push_back(cp);
        auto category = utf8proc_category(utf8proc_int32_t(cp));
        if (category == UTF8PROC_CATEGORY_ZS || category == UTF8PROC_CATEGORY_ZL ||
            category == UTF8PROC_CATEGORY_ZP) {
            endWord(start);
            continue;
        }
        bool letter = isLetterCategory(category);
        Script script = letter ? scriptOf(cp) : Script::Other;
        if (letter) ++m_letters[size_t(script)];
        if (letter && isCjkScript(script)) {
            endWord(start);
            m_words.push_back({uint32_t(start), uint32_t(pos - start)});
            m_wordHashes.push_back(XXH3_64bits(text.data() + start, pos - start));
            ++m_numAlphaWords;
            ++m_numCjkWords;
            continue;
        }
        if (!m_inWord) {
            m_inWord = true;
            m_wordBegin = start;
            m_wordHasLetter = false;
            m_wordChars = 0;
        }
        ++m_wordChars;
        m_wordHasLetter |= letter;
    }
    endWord(n);
    m_lines.push_back({uint32_t(lineBegin), uint32_t(n - lineBegin)});
    m_letters[size_t(Script::Latin)] += latinLetters;
    m_numChars = m_otherChars.size();
    for (uint32_t count : m_asciiCounts)
        m_numChars += count;
}

uint64_t TextProfile::numLetters() const {
    uint64_t total = 0;
    for (uint64_t count : m_letters)
        total += count;
    return total;
}

double TextProfile::characterEntropy() const {
    if (m_numChars == 0) return 0.0;
    double total = double(m_numChars);
    double entropy = 0.0;
    auto add = [&](uint64_t count) {
        double p = double(count) / total;
        entropy -= p * std::log2(p);
    };
    for (uint32_t count : m_asciiCounts)
        if (count) add(count);
    std::sort(m_otherChars.begin(), m_otherChars.end());
    for (size_t i = 0; i < m_otherChars.size();) {
        size_t j = i;
        while (j < m_otherChars.size() && m_otherChars[j] == m_otherChars[i])
            ++j;
        add(j - i);
        i = j;
    }
    return entropy;
}

}  // namespace strata::cleaning
