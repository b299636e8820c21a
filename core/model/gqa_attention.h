// Grouped-query attention (Ainslie et al., 2023): H query heads share K key/value heads (K = H is
// multi-head attention), rotary positions on queries and keys, causal, optionally limited to a
// sliding window. Families add biases to the projections (Qwen2) and RMSNorm to each query and
// key head before rotation (Qwen3). The product runs in at::scaled_dot_product_attention
// (causal_attention.h), so CUDA gets the fused kernels and key/value heads are not copied per query
// head (enable_gqa). B batch, T time, D model dim, H query heads, K key/value heads, Dh head dim.
#pragma once

#include "core/model/kv_cache.h"
#include "core/model/packed_projections.h"
#include "core/model/rms_norm.h"
#include "core/model/rotary.h"
#include "core/model/sequence_layout.h"
#include "core/model_spec/model_config.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace strata::model {

class GqaAttentionImpl : public PackingModule {
public:
    explicit GqaAttentionImpl(const model_spec::ModelConfig& config);

    // x_BTD -> (B, T, D). Without a cache the tokens are positions 0 .. T - 1; with one they
    // follow the cached positions, and their keys and values are appended to it.
    // A layout (sequence_layout.h) gives each token its position and the keys it may see.
    torch::Tensor forward(const torch::Tensor& x_BTD, LayerKvCache* cache = nullptr,
                          const AttentionLayout* layout = nullptr);

    torch::nn::Linear wq{nullptr};           // D -> H * Dh
    torch::nn::Linear wk{nullptr};           // D -> K * Dh
    torch::nn::Linear wv{nullptr};           // D -> K * Dh
    torch::nn::Linear wo{nullptr};           // H * Dh -> D
    RmsNorm qNorm{nullptr}, kNorm{nullptr};  // over Dh; null unless attention.qk_norm

private:
    int64_t m_numHeads;
    int64_t m_numKvHeads;
    int64_t m_headDim;
    int64_t m_slidingWindow;
    RotaryEmbedding m_rope{nullptr};
    const PackedProjections* m_qkv = nullptr;
};
TORCH_MODULE(GqaAttention);

}  // namespace strata::model
