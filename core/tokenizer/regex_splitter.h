// The general pre-tokenization path: a Split regex from a tokenizer.json, compiled with PCRE2
// (UTF + UCP, JIT when available), splitting text into pieces the way Hugging Face's Split with
// behavior "Isolated" does: every match is a piece and so is every gap between matches.
// It is also the reference the hand-written matchers (fast_split.h) are tested against.
// Known difference from Hugging Face's engine: PCRE2's \s also matches U+180E.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace strata::tokenizer {

struct PieceSpan {
    size_t begin;
    size_t end;
    bool operator==(const PieceSpan&) const = default;
};

class RegexSplitter {
public:
    // Throws common::Error naming the pattern and PCRE2's complaint when it does not compile.
    explicit RegexSplitter(std::string pattern);
    ~RegexSplitter();
    RegexSplitter(RegexSplitter&&) noexcept;
    RegexSplitter& operator=(RegexSplitter&&) noexcept;

    // Appends the pieces of text[begin, end) (offsets into `text`) to `out`. Expects valid UTF-8.
    void split(std::string_view text, size_t begin, size_t end, std::vector<PieceSpan>& out) const;
    // Appends only the matches in text[begin, end), empty ones included, in order.
    void findMatches(std::string_view text, size_t begin, size_t end,
                     std::vector<PieceSpan>& matches) const;

    const std::string& pattern() const { return m_pattern; }

private:
    // Calls onMatch(matchBegin, matchEnd) for each match of text[begin, end).
    template <typename OnMatch>
    void forEachMatch(std::string_view text, size_t begin, size_t end, OnMatch&& onMatch) const;

    struct Impl;
    std::string m_pattern;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace strata::tokenizer
