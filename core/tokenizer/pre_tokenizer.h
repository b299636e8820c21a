// Splits text into pieces before BPE, like a tokenizer.json pre_tokenizer made of Split regexes
// (behavior Isolated) followed by ByteLevel. The cl100k and GPT-2 patterns run on hand-written
// matchers (fast_split.h); any other pattern, or several in sequence, on PCRE2.
#pragma once

#include "core/tokenizer/fast_split.h"
#include "core/tokenizer/regex_splitter.h"

#include <string>
#include <string_view>
#include <vector>

namespace strata::tokenizer {

class PreTokenizer {
public:
    // `patterns` apply in order, each splitting the pieces of the one before; none means the
    // whole text is one piece. `fastPath` false forces PCRE2 (tests compare the two).
    explicit PreTokenizer(std::vector<std::string> patterns, bool fastPath = true);

    const std::vector<std::string>& patterns() const { return m_patterns; }

    // Calls onPiece(std::string_view) for each piece, in order; the pieces tile `text`.
    template <typename OnPiece>
    void split(std::string_view text, OnPiece&& onPiece) const {
        switch (m_kind) {
            case Kind::Cl100k:
                for (size_t pos = 0; pos < text.size();) {
                    size_t end = cl100kPieceEnd(text, pos);
                    onPiece(text.substr(pos, end - pos));
                    pos = end;
                }
                return;
            case Kind::Gpt2:
                for (size_t pos = 0; pos < text.size();) {
                    size_t end = gpt2PieceEnd(text, pos);
                    onPiece(text.substr(pos, end - pos));
                    pos = end;
                }
                return;
            case Kind::Regex: {
                std::vector<PieceSpan> spans;
                splitWithRegexes(text, spans);
                for (const PieceSpan& span : spans)
                    onPiece(text.substr(span.begin, span.end - span.begin));
                return;
            }
        }
    }

    // The pieces of `text` as spans (tests, tools).
    std::vector<PieceSpan> spans(std::string_view text) const;

private:
    enum class Kind { Cl100k, Gpt2, Regex };
    void splitWithRegexes(std::string_view text, std::vector<PieceSpan>& out) const;

    std::vector<std::string> m_patterns;
    std::vector<RegexSplitter> m_splitters;
    Kind m_kind = Kind::Regex;
};

}  // namespace strata::tokenizer
