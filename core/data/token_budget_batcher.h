// Groups variable-length sequences into batches that fit a token budget (default 8192 tokens,
// counted with padding: batch size x longest sequence), for fine-tuning stages whose examples
// differ in length. Sequences are shuffled by seed, sorted by length inside pools of
// poolBatches batches (so neighbours pad little), cut greedily, and the batches shuffled again.
// Deterministic for a seed; every sequence lands in exactly one batch.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace strata::data {

struct TokenBudgetConfig {
    uint32_t maxTokens = 8192;  // per batch, padding included
    uint32_t poolBatches = 64;  // how many batches' worth of sequences are sorted together
    uint64_t seed = 1234;
};

struct TokenBudgetBatches {
    std::vector<std::vector<uint32_t>> batches;  // indices into the lengths given
    uint64_t paddedTokens = 0;                   // sum over batches of size x longest
    uint64_t realTokens = 0;
};

// Throws common::Error naming the first sequence longer than the budget.
TokenBudgetBatches makeTokenBudgetBatches(std::span<const uint32_t> lengths,
                                          const TokenBudgetConfig& config);

}  // namespace strata::data
