// Finds added tokens in a text the way Hugging Face's AddedVocabulary does: leftmost-longest,
// non-overlapping matches; a single_word token whose match touches a word character on either
// side is dropped (and the scan goes on after it, as Hugging Face's does); lstrip and rstrip
// widen a match over the whitespace beside it, lstrip never into the previous match. The scan
// goes on after the token, not after the spaces rstrip took, as Hugging Face's does.
#pragma once

#include "core/tokenizer/tokenizer_data.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace strata::tokenizer {

class AddedTokenMatcher {
public:
    static constexpr TokenId kText = ~TokenId(0);

    // A span of the text: an added token's id, or kText for text between tokens.
    struct Segment {
        size_t begin;
        size_t end;
        TokenId id;
    };

    AddedTokenMatcher() = default;
    // `patterns[i]` is what tokens[i] matches in the text (its content, or its normalized form).
    AddedTokenMatcher(const std::vector<AddedToken>& tokens,
                      const std::vector<std::string>& patterns);

    bool empty() const { return m_byLength.empty(); }
    // Replaces `out` by segments that tile `text`; text segments are never empty.
    void split(std::string_view text, std::vector<Segment>& out) const;

private:
    struct Entry {
        TokenId id;
        bool lstrip, rstrip, singleWord;
    };
    // The longest token matching at `pos`, or nullptr.
    const Entry* longestAt(std::string_view text, size_t pos, size_t& length) const;

    bool m_firstByte[256] = {};
    // Token patterns grouped by length, longest first, each group a hash map.
    std::vector<std::pair<size_t, std::unordered_map<std::string, Entry>>> m_byLength;
};

}  // namespace strata::tokenizer
