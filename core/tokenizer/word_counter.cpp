// WordCounter's open-addressing table (XXH3 hashes, linear probing).
#include "core/tokenizer/word_counter.h"

#include "core/common/utf8.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace strata::tokenizer {

std::string_view validTrainingText(std::string_view text, std::string& replaced) {
    if (common::findInvalidUtf8(text) == std::string_view::npos) return text;
    replaced = common::replaceInvalidUtf8(text);
    return replaced;
}

WordCounter::WordCounter() : m_slots(1024) {}

void WordCounter::add(std::string_view word, uint64_t count) {
    if ((m_size + 1) * 2 > m_slots.size()) grow();
    uint64_t hash = XXH3_64bits(word.data(), word.size());
    size_t mask = m_slots.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        Slot& slot = m_slots[i];
        if (slot.count == 0) {
            slot = {hash, count, m_arena.size(), word.size()};
            m_arena.append(word);
            ++m_size;
            return;
        }
        if (slot.hash == hash && slot.length == word.size() &&
            m_arena.compare(slot.offset, slot.length, word) == 0) {
            slot.count += count;
            return;
        }
    }
}

void WordCounter::addAll(const WordCounter& other) {
    other.forEach([&](std::string_view word, uint64_t count) { add(word, count); });
}

void WordCounter::grow() {
    std::vector<Slot> old(m_slots.size() * 2);
    old.swap(m_slots);
    size_t mask = m_slots.size() - 1;
    for (const Slot& slot : old) {
        if (slot.count == 0) continue;
        size_t i = slot.hash & mask;
        while (m_slots[i].count != 0)
            i = (i + 1) & mask;
        m_slots[i] = slot;
    }
}

}  // namespace strata::tokenizer
