// One pass over a normalized document that every filter and the MinHash signature read from:
// word spans and word hashes, line spans, letter counts per script and the character histogram.
// Building it once per document (into buffers reused across documents) is what keeps the filter
// chain fast; the filters themselves never rescan the text for words.
//
// Words are runs of non-space characters, except that Han, Hiragana and Katakana characters are
// each a word of their own (those scripts put no spaces between words), which makes word counts,
// repetition n-grams and MinHash shingles CJK-aware.
#pragma once

#include "core/cleaning/unicode_script.h"

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace strata::cleaning {

struct TextSpan {
    uint32_t begin = 0;
    uint32_t length = 0;
};

class TextProfile {
public:
    // Rebuilds the profile for `text`, which must outlive it.
    void build(std::string_view text);

    std::string_view text() const { return m_text; }
    std::string_view slice(TextSpan span) const { return m_text.substr(span.begin, span.length); }

    const std::vector<TextSpan>& words() const { return m_words; }
    const std::vector<uint64_t>& wordHashes() const { return m_wordHashes; }  // XXH3 of each word
    const std::vector<TextSpan>& lines() const { return m_lines; }  // split on '\n', empty included

    uint64_t numChars() const { return m_numChars; }            // code points
    uint64_t numAlphaWords() const { return m_numAlphaWords; }  // words with a letter
    uint64_t numCjkWords() const { return m_numCjkWords; }
    uint64_t numOtherWordChars() const {
        return m_numOtherWordChars;
    }  // code points in non-CJK words
    uint64_t numLetters() const;
    uint64_t lettersOf(Script script) const { return m_letters[size_t(script)]; }

    // Shannon entropy of the character distribution, in bits per character.
    double characterEntropy() const;

private:
    void endWord(size_t end);

    std::string_view m_text;
    std::vector<TextSpan> m_words;
    std::vector<uint64_t> m_wordHashes;
    std::vector<TextSpan> m_lines;
    std::array<uint64_t, kNumScripts> m_letters{};
    std::array<uint32_t, 128> m_asciiCounts{};
    mutable std::vector<char32_t> m_otherChars;  // non-ASCII code points, for the histogram
    uint64_t m_numChars = 0;
    uint64_t m_numAlphaWords = 0;
    uint64_t m_numCjkWords = 0;
    uint64_t m_numOtherWordChars = 0;
    // The word being scanned.
    size_t m_wordBegin = 0;
    bool m_inWord = false;
    bool m_wordHasLetter = false;
    uint64_t m_wordChars = 0;
};

}  // namespace strata::cleaning
