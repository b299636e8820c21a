// Hand-written matchers for the cl100k and GPT-2 pre-tokenization patterns (patterns.h). Each
// returns where the regex's match starting at `pos` ends, following the regex's alternation
// order and backtracking exactly; both patterns match at every position, so splitting is
// "piece = [pos, end); pos = end" until the end. ASCII goes through a table, the rest through
// char_class.h. Tests check them against PCRE2 running the same patterns (regex_splitter.h).
#pragma once

#include <cstddef>
#include <string_view>

namespace strata::tokenizer {

// Both expect valid UTF-8 and pos < text.size(); they return a position > pos.
size_t cl100kPieceEnd(std::string_view text, size_t pos);
size_t gpt2PieceEnd(std::string_view text, size_t pos);

}  // namespace strata::tokenizer
