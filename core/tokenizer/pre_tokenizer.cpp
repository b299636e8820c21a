// Chooses the fast matcher or PCRE2 for a list of Split patterns.
#include "core/tokenizer/pre_tokenizer.h"

#include "core/tokenizer/patterns.h"

namespace strata::tokenizer {

PreTokenizer::PreTokenizer(std::vector<std::string> patterns, bool fastPath)
    : m_patterns(std::move(patterns)) {
    if (fastPath && m_patterns.size() == 1 && m_patterns[0] == kCl100kPattern) {
        m_kind = Kind::Cl100k;
    } else if (fastPath && m_patterns.size() == 1 && m_patterns[0] == kGpt2Pattern) {
        m_kind = Kind::Gpt2;
    } else {
        m_kind = Kind::Regex;
        for (const std::string& pattern : m_patterns)
            m_splitters.emplace_back(pattern);
    }
}

void PreTokenizer::splitWithRegexes(std::string_view text, std::vector<PieceSpan>& out) const {
    out.clear();
    if (text.empty()) return;
    out.push_back({0, text.size()});
    std::vector<PieceSpan> next;
    for (const RegexSplitter& splitter : m_splitters) {
        next.clear();
        for (const PieceSpan& piece : out)
            splitter.split(text, piece.begin, piece.end, next);
        out.swap(next);
    }
}

std::vector<PieceSpan> PreTokenizer::spans(std::string_view text) const {
    std::vector<PieceSpan> out;
    split(text, [&](std::string_view piece) {
        size_t begin = size_t(piece.data() - text.data());
        out.push_back({begin, begin + piece.size()});
    });
    return out;
}

}  // namespace strata::tokenizer
