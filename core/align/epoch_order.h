// The order a stage visits its examples in: an endless sequence of epochs, each the examples
// shuffled with seed + epoch (or in their given order), so the position in the data is a
// function of the step and a resumed run continues exactly.
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

namespace strata::align {

class EpochOrder {
public:
    EpochOrder(size_t size, bool shuffle, uint64_t seed)
        : m_size(size), m_shuffle(shuffle), m_seed(seed) {}

    // The example at `index` of the endless order.
    size_t at(uint64_t index) const {
        uint64_t epoch = index / m_size, position = index % m_size;
        if (!m_shuffle) return size_t(position);
        if (epoch != m_epoch) {
            m_order.resize(m_size);
            std::iota(m_order.begin(), m_order.end(), size_t(0));
            std::shuffle(m_order.begin(), m_order.end(), std::mt19937_64(m_seed + epoch));
            m_epoch = epoch;
        }
        return m_order[position];
    }

    // Examples first .. first + count - 1.
    std::vector<size_t> range(uint64_t first, size_t count) const {
        std::vector<size_t> indices;
        for (size_t i = 0; i < count; ++i)
            indices.push_back(at(first + i));
        return indices;
    }

private:
    size_t m_size;
    bool m_shuffle;
    uint64_t m_seed;
    mutable uint64_t m_epoch = UINT64_MAX;  // the epoch m_order holds
    mutable std::vector<size_t> m_order;
};

}  // namespace strata::align
