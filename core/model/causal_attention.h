// The attention product shared by GQA and MLA: softmax(q k^T / sqrt(d)) v over the allowed keys,
// through at::scaled_dot_product_attention. Queries are the last Tq of Tk positions (Tq = Tk
// without a cache, Tq < Tk when earlier keys come from a KV cache); query i may see key j when
// j <= its position and, with a window, position - j < window.
// B batch, H query heads, K key/value heads (H when not grouped), Tq queries, Tk keys.
#pragma once

#include <torch/types.h>

#include <optional>

namespace strata::model {

// window 0: no window. A given (B, 1, Tq, Tk) mask (sequence_layout.h) replaces the causal rule
// and the window, which it already holds. `scale` multiplies the scores instead of
// 1/sqrt(X) (DeepSeek's YaRN scaling).
torch::Tensor causalAttention(const torch::Tensor& q_BHTqX, const torch::Tensor& k_BKTkX,
                              const torch::Tensor& v_BKTkV, int64_t window,
                              const torch::Tensor& mask_B1TqTk = {},
                              std::optional<double> scale = std::nullopt);

// The boolean (Tq, Tk) mask of which keys each query may see.
torch::Tensor causalMask(int64_t queryLength, int64_t keyLength, int64_t window,
                         const torch::Device& device);

}  // namespace strata::model
