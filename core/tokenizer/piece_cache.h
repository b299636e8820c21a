// A per-thread memo of pre-token -> ids: natural text repeats a few thousand pieces most of the
// time, so most pieces cost one hash and one 64-byte slot read instead of a merge loop.
// Direct-mapped (a new piece evicts whatever held its slot); only pieces of up to kMaxBytes
// bytes that encode to at most kMaxIds ids are kept.
#pragma once

#include "core/tokenizer/tokenizer_data.h"

#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace strata::tokenizer {

class PieceCache {
public:
    static constexpr size_t kMaxBytes = 24;
    static constexpr size_t kMaxIds = 7;

    explicit PieceCache(size_t numSlots);  // numSlots: a power of two

    // Appends the cached ids of `piece` and returns true, or returns false.
    bool lookup(std::string_view piece, uint64_t hash, std::vector<TokenId>& out) const {
        const Slot& slot = m_slots[hash & m_mask];
        if (slot.hash != hash || slot.numBytes != piece.size() ||
            std::memcmp(slot.bytes, piece.data(), piece.size()) != 0)
            return false;
        out.insert(out.end(), slot.ids, slot.ids + slot.numIds);
        return true;
    }

    // Stores ids for `piece` when both fit a slot.
    void insert(std::string_view piece, uint64_t hash, const TokenId* ids, size_t numIds) {
        if (piece.size() > kMaxBytes || numIds > kMaxIds) return;
        Slot& slot = m_slots[hash & m_mask];
        slot.hash = hash;
        slot.numBytes = uint8_t(piece.size());
        slot.numIds = uint8_t(numIds);
        std::memcpy(slot.bytes, piece.data(), piece.size());
        std::memcpy(slot.ids, ids, numIds * sizeof(TokenId));
    }

    void clear();

private:
    struct alignas(64) Slot {
        uint64_t hash = 0;
        uint8_t numBytes = 0xFF;  // never matches: no piece longer than kMaxBytes is stored
        uint8_t numIds = 0;
        char bytes[kMaxBytes];
        TokenId ids[kMaxIds];
    };
    static_assert(sizeof(Slot) == 64);

    std::unique_ptr<Slot[]> m_slots;
    size_t m_mask;
};

}  // namespace strata::tokenizer
