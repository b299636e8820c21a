// Everything that defines a byte-level BPE tokenizer, as plain data: what the trainer produces,
// what tokenizer.json holds, what Tokenizer is built from (and validates).
#pragma once

#include "core/tokenizer/patterns.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace strata::tokenizer {

using TokenId = uint32_t;

// A token matched in the text before pre-tokenization (<|eos|> and friends); never produced by
// merges. Its entry in TokenizerData::tokens holds `content`.
struct AddedToken {
    TokenId id = 0;
    std::string content;
    bool special = true;
};

struct TokenizerData {
    // The bytes of every id, 0 .. size-1. Every byte value has a one-byte token.
    std::vector<std::string> tokens;
    // Merge rules in rank order: merging tokens[a] and tokens[b] gives the token spelled
    // tokens[a] + tokens[b].
    std::vector<std::pair<TokenId, TokenId>> merges;
    std::vector<AddedToken> addedTokens;
    // Split regexes applied in order before BPE; empty means no split at all.
    std::vector<std::string> splitPatterns{std::string(kCl100kPattern)};
    // Hugging Face's BPE option: a piece that is itself a token maps to it without merging.
    bool ignoreMerges = false;
};

}  // namespace strata::tokenizer
