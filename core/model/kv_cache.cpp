#include "core/model/kv_cache.h"

#include <algorithm>

namespace strata::model {

torch::Tensor CacheBuffer::append(const torch::Tensor& next) {
    int64_t needed = m_length + next.size(m_dim);
    if (!m_room.defined() || needed > m_room.size(m_dim)) {
        std::vector<int64_t> shape = next.sizes().vec();
        shape[size_t(m_dim)] = std::max({needed, m_capacity, 2 * m_length});
        torch::Tensor room = torch::empty(shape, next.options());
        if (m_length > 0) room.narrow(m_dim, 0, m_length).copy_(cached());
        m_room = room;
    }
    m_room.narrow(m_dim, m_length, next.size(m_dim)).copy_(next);
    m_length = needed;
    return cached();
}

torch::Tensor CacheBuffer::cached() const {
    return m_room.defined() ? m_room.narrow(m_dim, 0, m_length) : torch::Tensor();
}

}  // namespace strata::model
