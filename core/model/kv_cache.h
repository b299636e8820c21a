// What generation keeps between steps, one entry per layer: GQA stores the rotated keys and the
// values of every past position; MLA stores only its compressed latent and the shared rotary
// key, and rebuilds keys and values from them (the reason MLA exists: a cache several times
// smaller). The caller owns the cache; Transformer::forward() extends it.
// B batch, K key/value heads, T cached positions, Dh head dim, C latent rank, Dr rotary dim.
#pragma once

#include <torch/types.h>

#include <vector>

namespace strata::model {

struct LayerKvCache {
    torch::Tensor keys_BKTDh;       // GQA
    torch::Tensor values_BKTDh;     // GQA
    torch::Tensor latent_BTC;       // MLA, normalized
    torch::Tensor rotaryKey_B1TDr;  // MLA, rotated

    int64_t length() const {
        if (keys_BKTDh.defined()) return keys_BKTDh.size(2);
        return latent_BTC.defined() ? latent_BTC.size(1) : 0;
    }
};

struct KvCache {
    std::vector<LayerKvCache> layers;
    torch::Tensor segments_BT;  // the cached tokens' segments, when a layout was given
    int64_t length() const { return layers.empty() ? 0 : layers.front().length(); }
};

// Appends `next` to `cached` along `dim` (or starts it).
inline torch::Tensor appendToCache(const torch::Tensor& cached, const torch::Tensor& next,
                                   int64_t dim) {
    return cached.defined() ? torch::cat({cached, next}, dim) : next;
}

}  // namespace strata::model
