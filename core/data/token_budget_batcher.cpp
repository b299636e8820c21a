#include "core/data/token_budget_batcher.h"

#include "core/common/error.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace strata::data {

TokenBudgetBatches makeTokenBudgetBatches(std::span<const uint32_t> lengths,
                                          const TokenBudgetConfig& config) {
    for (size_t i = 0; i < lengths.size(); ++i)
        if (lengths[i] > config.maxTokens)
            common::fail("sequence {} has {} tokens, more than the batch budget of {}", i,
                         lengths[i], config.maxTokens);
    std::vector<uint32_t> order(lengths.size());
    std::iota(order.begin(), order.end(), 0u);
    std::mt19937_64 random(config.seed);
    std::shuffle(order.begin(), order.end(), random);

    TokenBudgetBatches result;
    uint64_t meanLength =
        lengths.empty()
            ? 1
            : std::max<uint64_t>(
                  1, std::accumulate(lengths.begin(), lengths.end(), uint64_t(0)) / lengths.size());
    size_t poolSize =
        std::max<size_t>(1, size_t(config.poolBatches) * (config.maxTokens / meanLength));
    for (size_t poolStart = 0; poolStart < order.size(); poolStart += poolSize) {
        auto begin = order.begin() + poolStart;
        auto end = order.begin() + std::min(order.size(), poolStart + poolSize);
        std::stable_sort(begin, end,
                         [&](uint32_t a, uint32_t b) { return lengths[a] < lengths[b]; });
        std::vector<uint32_t> batch;
        uint32_t longest = 0;
        for (auto it = begin; it != end; ++it) {
            uint32_t length = std::max<uint32_t>(1, lengths[*it]);
            // Sorted ascending, so the newcomer is the longest of the batch.
            if (!batch.empty() && uint64_t(batch.size() + 1) * length > config.maxTokens) {
                result.paddedTokens += uint64_t(batch.size()) * longest;
                result.batches.push_back(std::move(batch));
                batch.clear();
            }
            batch.push_back(*it);
            longest = length;
            result.realTokens += lengths[*it];
        }
        if (!batch.empty()) {
            result.paddedTokens += uint64_t(batch.size()) * longest;
            result.batches.push_back(std::move(batch));
        }
    }
    std::shuffle(result.batches.begin(), result.batches.end(), random);
    return result;
}

}  // namespace strata::data
