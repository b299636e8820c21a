// Applies BPE merges to one pre-token: bytes to base ids, then repeatedly the lowest-ranked
// adjacent pair (leftmost on a tie) is merged, as Hugging Face's BPE and tiktoken do. Merge
// rules sit in a flat hash table keyed by (left id, right id) packed in 64 bits. Pieces of up to
// kScanLimit bytes use tiktoken's rank scan over small stack arrays; longer ones (whitespace or
// punctuation runs, unsplit text) a heap with lazy invalidation, O(n log n).
// reference_bpe.h holds the plain version the tests compare against.
#pragma once

#include "core/tokenizer/tokenizer_data.h"
#include "core/tokenizer/u64_map.h"

#include <array>
#include <string_view>
#include <vector>

namespace strata::tokenizer {

class BpeMerger {
public:
    static constexpr size_t kScanLimit = 64;
    static constexpr uint32_t kNoRank = ~uint32_t(0);

    // Per-thread working memory for long pieces, reused so that encoding does not allocate.
    struct Scratch {
        std::vector<uint64_t> heap;
        std::vector<TokenId> ids;
        std::vector<uint32_t> prev;
        std::vector<uint32_t> next;
    };

    BpeMerger() = default;
    // mergedIds[r] is the id that merge r produces.
    BpeMerger(const std::array<TokenId, 256>& byteIds,
              const std::vector<std::pair<TokenId, TokenId>>& merges,
              const std::vector<TokenId>& mergedIds);

    // Appends the ids of `piece` (non-empty) to `out`, starting from its bytes.
    void encode(std::string_view piece, std::vector<TokenId>& out, Scratch& scratch) const;
    // Appends the merged form of `initial` (non-empty) to `out`: the path of vocabularies
    // whose BPE starts from characters rather than bytes.
    void encodeIds(const std::vector<TokenId>& initial, std::vector<TokenId>& out,
                   Scratch& scratch) const;

    // Rank of merging (left, right), kNoRank when no rule exists.
    uint32_t rank(TokenId left, TokenId right) const {
        const Rule* rule = m_rules.find(packPair(left, right));
        return rule ? rule->rank : kNoRank;
    }
    TokenId byteId(unsigned char byte) const { return m_byteIds[byte]; }

private:
    struct Rule {
        uint32_t rank = kNoRank;
        TokenId merged = 0;
    };
    // Rank in the high half, merged id in the low half: the smallest value is the best merge.
    uint64_t packedRule(TokenId left, TokenId right) const {
        const Rule* rule = m_rules.find(packPair(left, right));
        return rule ? uint64_t(rule->rank) << 32 | rule->merged : ~uint64_t(0);
    }
    // Both merge ids[0, count) in place and append the result; mergeLong's ids are scratch.ids.
    void mergeShort(TokenId* ids, size_t count, std::vector<TokenId>& out) const;
    void mergeLong(size_t count, std::vector<TokenId>& out, Scratch& scratch) const;

    std::array<TokenId, 256> m_byteIds{};
    U64Map<Rule> m_rules;
};

}  // namespace strata::tokenizer
