// Allocation and reset of PieceCache.
#include "core/tokenizer/piece_cache.h"

namespace strata::tokenizer {

PieceCache::PieceCache(size_t numSlots) : m_slots(new Slot[numSlots]), m_mask(numSlots - 1) {}

void PieceCache::clear() {
    for (size_t i = 0; i <= m_mask; ++i)
        m_slots[i] = Slot{};
}

}  // namespace strata::tokenizer
