#include "core/model/gqa_attention.h"

#include "core/model/causal_attention.h"
#include "core/model/linear.h"
#include "core/model/matmul_override.h"

namespace strata::model {

GqaAttentionImpl::GqaAttentionImpl(const model_spec::ModelConfig& config)
    : m_numHeads(config.attention.numHeads),
      m_numKvHeads(config.attention.numKvHeads),
      m_headDim(config.resolvedHeadDim()),
      m_slidingWindow(config.attention.slidingWindow) {
    const model_spec::AttentionConfig& a = config.attention;
    int64_t d = config.dModel;
    wq = register_module("wq", linearMaybeBias(d, m_numHeads * m_headDim, a.qkvBias));
    wk = register_module("wk", linearMaybeBias(d, m_numKvHeads * m_headDim, a.qkvBias));
    wv = register_module("wv", linearMaybeBias(d, m_numKvHeads * m_headDim, a.qkvBias));
    wo = register_module("wo", linearMaybeBias(m_numHeads * m_headDim, d, a.outputBias));
    if (a.qkNorm) {
        qNorm = register_module("q_norm", RmsNorm(m_headDim, config.normEps));
        kNorm = register_module("k_norm", RmsNorm(m_headDim, config.normEps));
    }
    m_rope = register_module("rope", RotaryEmbedding(m_headDim, a.ropeBase, a.ropeScaling));
    m_qkv = &packTogether({wq, wk, wv});
}

torch::Tensor GqaAttentionImpl::forward(const torch::Tensor& x_BTD, LayerKvCache* cache,
                                        const AttentionLayout* layout) {
    TORCH_CHECK(x_BTD.dim() == 3, "GqaAttention expects (B,T,D), got ", x_BTD.sizes());
    int64_t batch = x_BTD.size(0), length = x_BTD.size(1);
    Rotation rotation = layout ? m_rope->rotation(layout->positions_BT)
                               : m_rope->rotation(cache ? cache->length() : 0, length);
    std::vector<torch::Tensor> qkv = m_qkv->forward(x_BTD);
    auto heads = [&](const torch::Tensor& x_BTX, int64_t count, RmsNorm norm) {
        torch::Tensor x_BTXDh = x_BTX.view({batch, length, count, m_headDim});
        return (norm ? norm->forward(x_BTXDh) : x_BTXDh).transpose(1, 2);
    };
    torch::Tensor q_BHTDh = rotate(heads(qkv[0], m_numHeads, qNorm), rotation);
    torch::Tensor k_BKTDh = rotate(heads(qkv[1], m_numKvHeads, kNorm), rotation);
    torch::Tensor v_BKTDh = heads(qkv[2], m_numKvHeads, RmsNorm(nullptr));
    if (cache) {
        k_BKTDh = cache->keys.append(k_BKTDh);
        v_BKTDh = cache->values.append(v_BKTDh);
    }
    torch::Tensor out_BHTDh = causalAttention(q_BHTDh, k_BKTDh, v_BKTDh, m_slidingWindow,
                                              layout ? layout->mask_B1TTk : torch::Tensor());
    return project(wo, out_BHTDh.transpose(1, 2).reshape({batch, length, m_numHeads * m_headDim}));
}

}  // namespace strata::model
