#include "core/model/gqa_attention.h"

namespace strata::model {

namespace {

torch::nn::Linear projection(int64_t in, int64_t out) {
    return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false));
}

}  // namespace

GqaAttentionImpl::GqaAttentionImpl(const ModelConfig& config)
    : m_numHeads(config.attention.numHeads),
      m_numKvHeads(config.attention.numKvHeads),
      m_headDim(config.resolvedHeadDim()),
      m_slidingWindow(config.attention.slidingWindow) {
    int64_t d = config.dModel;
    wq = register_module("wq", projection(d, m_numHeads * m_headDim));
    wk = register_module("wk", projection(d, m_numKvHeads * m_headDim));
    wv = register_module("wv", projection(d, m_numKvHeads * m_headDim));
    wo = register_module("wo", projection(m_numHeads * m_headDim, d));
    m_rope = register_module(
        "rope", RotaryEmbedding(m_headDim, config.contextLength, config.attention.ropeBase));
}

torch::Tensor slidingWindowMask(int64_t length, int64_t window, const torch::Device& device) {
    torch::Tensor query = torch::arange(length, device).unsqueeze(1);
    torch::Tensor key = torch::arange(length, device).unsqueeze(0);
    return (key <= query) & (query - key < window);
}

torch::Tensor GqaAttentionImpl::forward(const torch::Tensor& x_BTD) {
    TORCH_CHECK(x_BTD.dim() == 3, "GqaAttention expects (B,T,D), got ", x_BTD.sizes());
    int64_t batch = x_BTD.size(0), length = x_BTD.size(1);
    auto heads = [&](torch::nn::Linear& projection, int64_t count) {
        return projection->forward(x_BTD).view({batch, length, count, m_headDim}).transpose(1, 2);
    };
    torch::Tensor q_BHTDh = m_rope->forward(heads(wq, m_numHeads));
    torch::Tensor k_BKTDh = m_rope->forward(heads(wk, m_numKvHeads));
    torch::Tensor v_BKTDh = heads(wv, m_numKvHeads);
    bool grouped = m_numKvHeads != m_numHeads;
    torch::Tensor out_BHTDh;
    if (m_slidingWindow > 0 && m_slidingWindow < length) {
        out_BHTDh = at::scaled_dot_product_attention(
            q_BHTDh, k_BKTDh, v_BKTDh, slidingWindowMask(length, m_slidingWindow, x_BTD.device()),
            0.0, /*is_causal=*/false, std::nullopt, grouped);
    } else {
        out_BHTDh = at::scaled_dot_product_attention(q_BHTDh, k_BKTDh, v_BKTDh, std::nullopt, 0.0,
                                                     /*is_causal=*/true, std::nullopt, grouped);
    }
    return wo->forward(out_BHTDh.transpose(1, 2).reshape({batch, length, m_numHeads * m_headDim}));
}

}  // namespace strata::model
