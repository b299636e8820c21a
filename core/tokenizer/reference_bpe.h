// The reference path: BPE training and piece encoding written for obviousness, not speed. The
// trainer recounts every pair of every word after each merge; the encoder looks merges up by
// byte strings in a std::map and merges one pair at a time. Tests check BpeTrainer and
// BpeMerger (the optimized paths) against these on small inputs.
#pragma once

#include "core/tokenizer/bpe_trainer.h"
#include "core/tokenizer/tokenizer_data.h"

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace strata::tokenizer {

// Same rules and result as BpeTrainer (ids, tie-break, special tokens), single-threaded.
TokenizerData trainBpeReference(std::span<const std::string_view> documents,
                                const TrainerConfig& config);

// BPE of one piece: repeatedly merge the lowest-ranked adjacent pair, leftmost first.
class ReferenceEncoder {
public:
    explicit ReferenceEncoder(const TokenizerData& data);
    std::vector<TokenId> encodePiece(std::string_view piece) const;

private:
    std::map<std::pair<std::string, std::string>, size_t> m_rankOf;
    std::map<std::string, TokenId> m_idOf;
};

}  // namespace strata::tokenizer
