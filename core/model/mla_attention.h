// DeepSeek's multi-head latent attention (DeepSeek-V2, §2.1): keys and values are rebuilt from a
// low-rank latent (what a KV cache stores), queries optionally pass through their own latent,
// and rotary positions ride on a separate, decoupled slice of each query and on one key slice
// shared by all heads, so the latent itself stays position-free. The two projections of the input
// (qA or wq, and kvA) run as one product (packed_projections.h).
// B batch, T time, D model dim, H heads, C key/value latent rank, Q query latent rank,
// Dn non-rotary query/key head dim, Dr rotary head dim, Dv value head dim.
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

#include <optional>

namespace strata::model {

class MlaAttentionImpl : public PackingModule {
public:
    explicit MlaAttentionImpl(const model_spec::ModelConfig& config);

    // x_BTD -> (B, T, D). Without a cache the tokens are positions 0 .. T - 1; with one they
    // follow the cached positions, and their latents and rotary keys are appended to it; tokens
    // that continue a cache attend to the latents directly (attendToLatent).
    // A layout (sequence_layout.h) gives each token its position and the keys it may see.
    torch::Tensor forward(const torch::Tensor& x_BTD, LayerKvCache* cache = nullptr,
                          const AttentionLayout* layout = nullptr);

    // Queries: D -> Q -> H * (Dn + Dr) with a latent (qA, qNorm, qB), or D -> H * (Dn + Dr) (wq).
    torch::nn::Linear qA{nullptr}, qB{nullptr}, wq{nullptr};
    RmsNorm qNorm{nullptr};
    torch::nn::Linear kvA{nullptr};  // D -> C + Dr: the latent and the shared rotary key
    RmsNorm kvNorm{nullptr};
    torch::nn::Linear kvB{nullptr};  // C -> H * (Dn + Dv)
    torch::nn::Linear wo{nullptr};   // H * Dv -> D

private:
    // Attention of new tokens over the cached latents and rotary keys (B, 1, Tk, C + Dr) without
    // rebuilding each position's keys and values: kvB's key rows are folded into the queries and
    // its value rows applied after the weighting (DeepSeek-V2's "absorbed" inference). Returns
    // (B, T, H * Dv).
    torch::Tensor attendToLatent(const torch::Tensor& qNope_BHTDn, const torch::Tensor& qRope_BHTDr,
                                 const torch::Tensor& cached_B1TkX, const AttentionLayout* layout);

    int64_t m_numHeads, m_kvRank, m_nopeDim, m_ropeDim, m_vDim, m_slidingWindow;
    std::optional<double> m_scale;  // of the scores; unset: 1 / sqrt(Dn + Dr)
    RotaryEmbedding m_rope{nullptr};
    const PackedProjections* m_inputProjections = nullptr;  // qA or wq, and kvA
};
TORCH_MODULE(MlaAttention);

}  // namespace strata::model
