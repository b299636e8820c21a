// The two merge loops of BpeMerger: rank scan for short pieces, heap for long ones.
#include "core/tokenizer/bpe_merger.h"

#include <algorithm>
#include <functional>

namespace strata::tokenizer {

BpeMerger::BpeMerger(const std::array<TokenId, 256>& byteIds,
                     const std::vector<std::pair<TokenId, TokenId>>& merges,
                     const std::vector<TokenId>& mergedIds)
    : m_byteIds(byteIds), m_rules(merges.size()) {
    for (size_t rank = 0; rank < merges.size(); ++rank)
        m_rules[packPair(merges[rank].first, merges[rank].second)] = {uint32_t(rank),
                                                                      mergedIds[rank]};
}

void BpeMerger::encode(std::string_view piece, std::vector<TokenId>& out, Scratch& scratch) const {
    if (piece.size() == 1) {
        out.push_back(m_byteIds[static_cast<unsigned char>(piece[0])]);
    } else if (piece.size() <= kScanLimit) {
        TokenId ids[kScanLimit];
        for (size_t i = 0; i < piece.size(); ++i)
            ids[i] = m_byteIds[static_cast<unsigned char>(piece[i])];
        mergeShort(ids, piece.size(), out);
    } else {
        scratch.ids.resize(piece.size());
        for (size_t i = 0; i < piece.size(); ++i)
            scratch.ids[i] = m_byteIds[static_cast<unsigned char>(piece[i])];
        mergeLong(piece.size(), out, scratch);
    }
}

void BpeMerger::encodeIds(const std::vector<TokenId>& initial, std::vector<TokenId>& out,
                          Scratch& scratch) const {
    if (initial.size() <= kScanLimit) {
        TokenId ids[kScanLimit];
        std::copy(initial.begin(), initial.end(), ids);
        mergeShort(ids, initial.size(), out);
    } else {
        scratch.ids = initial;
        mergeLong(initial.size(), out, scratch);
    }
}

void BpeMerger::mergeShort(TokenId* ids, size_t count, std::vector<TokenId>& out) const {
    uint64_t rules[kScanLimit];  // rules[i]: packed rule for (ids[i], ids[i+1])
    for (size_t i = 0; i + 1 < count; ++i)
        rules[i] = packedRule(ids[i], ids[i + 1]);
    while (count > 1) {
        size_t best = 0;
        uint64_t bestRule = rules[0];
        for (size_t i = 1; i + 1 < count; ++i)
            if (rules[i] < bestRule) {
                bestRule = rules[i];
                best = i;
            }
        if (bestRule == ~uint64_t(0)) break;
        ids[best] = TokenId(bestRule);
        // Drop ids[best + 1] and its rule; recompute the two rules around the new token.
        for (size_t i = best + 1; i + 1 < count; ++i)
            ids[i] = ids[i + 1];
        for (size_t i = best + 1; i + 2 < count; ++i)
            rules[i] = rules[i + 1];
        --count;
        if (best > 0) rules[best - 1] = packedRule(ids[best - 1], ids[best]);
        if (best + 1 < count) rules[best] = packedRule(ids[best], ids[best + 1]);
    }
    out.insert(out.end(), ids, ids + count);
}

void BpeMerger::mergeLong(size_t count, std::vector<TokenId>& out, Scratch& scratch) const {
    constexpr uint32_t kNone = ~uint32_t(0);
    auto& ids = scratch.ids;
    auto& prev = scratch.prev;
    auto& next = scratch.next;
    auto& heap = scratch.heap;  // (rank << 32 | position of the pair's left symbol), min first
    prev.resize(count);
    next.resize(count);
    heap.clear();
    for (size_t i = 0; i < count; ++i) {
        prev[i] = i == 0 ? kNone : uint32_t(i - 1);
        next[i] = i + 1 == count ? kNone : uint32_t(i + 1);
    }
    auto push = [&](uint32_t left) {
        uint32_t r = rank(ids[left], ids[next[left]]);
        if (r == kNoRank) return;
        heap.push_back(uint64_t(r) << 32 | left);
        std::push_heap(heap.begin(), heap.end(), std::greater<>());
    };
    for (size_t i = 0; i + 1 < count; ++i)
        push(uint32_t(i));
    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), std::greater<>());
        uint64_t top = heap.back();
        heap.pop_back();
        uint32_t left = uint32_t(top);
        uint32_t right = next[left];
        // Entries go stale when a neighbour merged first: a removed symbol has no `next`, and
        // the pair now at `left` must still be the rule the entry was pushed for (a rank names
        // one rule).
        if (right == kNone) continue;
        const Rule* rule = m_rules.find(packPair(ids[left], ids[right]));
        if (!rule || rule->rank != uint32_t(top >> 32)) continue;
        ids[left] = rule->merged;
        next[left] = next[right];
        if (next[right] != kNone) prev[next[right]] = left;
        next[right] = kNone;
        prev[right] = kNone;
        if (prev[left] != kNone) push(prev[left]);
        if (next[left] != kNone) push(left);
    }
    for (uint32_t i = 0; i != kNone; i = next[i])
        out.push_back(ids[i]);
}

}  // namespace strata::tokenizer
