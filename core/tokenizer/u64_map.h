// A flat open-addressing hash map from uint64 keys to small values: the BPE merge table, the
// trainer's pair counts. Linear probing, Fibonacci hashing, power-of-two capacity, no erase.
// Key ~0 is reserved as the empty marker (packed id pairs never reach it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace strata::tokenizer {

template <typename Value>
class U64Map {
public:
    static constexpr uint64_t kEmptyKey = ~uint64_t(0);

    explicit U64Map(size_t expected = 16) { rehash(capacityFor(expected)); }

    const Value* find(uint64_t key) const {
        for (size_t i = slotOf(key);; i = (i + 1) & m_mask) {
            const Slot& slot = m_slots[i];
            if (slot.key == key) return &slot.value;
            if (slot.key == kEmptyKey) return nullptr;
        }
    }
    Value* find(uint64_t key) {
        return const_cast<Value*>(static_cast<const U64Map*>(this)->find(key));
    }

    // The value for `key`, inserted value-initialized when absent.
    Value& operator[](uint64_t key) {
        if ((m_size + 1) * 2 > m_slots.size()) rehash(m_slots.size() * 2);
        for (size_t i = slotOf(key);; i = (i + 1) & m_mask) {
            Slot& slot = m_slots[i];
            if (slot.key == key) return slot.value;
            if (slot.key == kEmptyKey) {
                slot.key = key;
                ++m_size;
                return slot.value;
            }
        }
    }

    size_t size() const { return m_size; }

    // Calls f(key, value) for every entry, in slot order.
    template <typename F>
    void forEach(F&& f) const {
        for (const Slot& slot : m_slots)
            if (slot.key != kEmptyKey) f(slot.key, slot.value);
    }

private:
    struct Slot {
        uint64_t key = kEmptyKey;
        Value value{};
    };

    static size_t capacityFor(size_t expected) {
        size_t capacity = 16;
        while (capacity < expected * 2)
            capacity *= 2;
        return capacity;
    }
    size_t slotOf(uint64_t key) const {
        return size_t((key * 0x9E3779B97F4A7C15ull) >> m_shift) & m_mask;
    }
    void rehash(size_t capacity) {
        std::vector<Slot> old;
        old.swap(m_slots);
        m_slots.assign(capacity, Slot{});
        m_mask = capacity - 1;
        m_shift = 64 - __builtin_ctzll(capacity);
        m_size = 0;
        for (Slot& slot : old)
            if (slot.key != kEmptyKey) (*this)[slot.key] = std::move(slot.value);
    }

    std::vector<Slot> m_slots;
    size_t m_mask = 0;
    int m_shift = 0;
    size_t m_size = 0;
};

inline uint64_t packPair(uint32_t left, uint32_t right) {
    return uint64_t(left) << 32 | right;
}

}  // namespace strata::tokenizer
