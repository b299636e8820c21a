// What generation keeps between steps, one entry per layer: GQA stores the rotated keys and the
// values of every past position; MLA stores only its compressed latent and the shared rotary
// key, side by side, and reads them directly (the reason MLA exists: a cache several times
// smaller). The caller owns the cache; Transformer::forward() extends it. Each cached tensor
// grows inside preallocated room, so a token costs a copy of that token only, not of the cache.
// The cache serves generation, which runs without gradients.
// B batch, K key/value heads, T cached positions, Dh head dim, C latent rank, Dr rotary dim.
#pragma once

#include <torch/types.h>

#include <algorithm>
#include <vector>

namespace strata::model {

// A tensor that grows along one dimension into room allocated ahead.
class CacheBuffer {
public:
    // `capacity` positions are allocated at the first append (0: as many as it brings); when the
    // room is full it doubles.
    CacheBuffer(int64_t dim, int64_t capacity) : m_dim(dim), m_capacity(capacity) {}

    // Writes `next` after the cached positions; returns every position so far, a view of the room.
    torch::Tensor append(const torch::Tensor& next);
    // The positions so far (undefined before the first append).
    torch::Tensor cached() const;
    int64_t length() const { return m_length; }

private:
    int64_t m_dim, m_capacity, m_length = 0;
    torch::Tensor m_room;
};

struct LayerKvCache {
    explicit LayerKvCache(int64_t capacity = 0)
        : keys(2, capacity), values(2, capacity), latentAndRotaryKey(2, capacity) {}

    CacheBuffer keys;                // GQA: (B, K, T, Dh), rotated
    CacheBuffer values;              // GQA: (B, K, T, Dh)
    CacheBuffer latentAndRotaryKey;  // MLA: (B, 1, T, C + Dr), normalized latent then rotated key

    int64_t length() const { return std::max(keys.length(), latentAndRotaryKey.length()); }
};

struct KvCache {
    // Room for `capacity` positions is allocated once (generation knows how many it will need).
    explicit KvCache(int64_t capacity = 0) : capacity(capacity), segments(1, capacity) {}

    int64_t capacity;
    std::vector<LayerKvCache> layers;
    CacheBuffer segments;  // (B, T): the cached tokens' segments, when a layout was given

    int64_t length() const { return layers.empty() ? 0 : layers.front().length(); }
};

}  // namespace strata::model
