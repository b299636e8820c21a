#include "core/model/mla_attention.h"

#include "core/model/causal_attention.h"
#include "core/model/linear.h"
#include "core/model/matmul_override.h"

#include <cmath>

namespace strata::model {

MlaAttentionImpl::MlaAttentionImpl(const model_spec::ModelConfig& config)
    : m_numHeads(config.attention.numHeads),
      m_kvRank(config.attention.kvLoraRank),
      m_nopeDim(config.attention.qkNopeHeadDim),
      m_ropeDim(config.attention.qkRopeHeadDim),
      m_vDim(config.attention.vHeadDim),
      m_slidingWindow(config.attention.slidingWindow) {
    const model_spec::AttentionConfig& a = config.attention;
    int64_t d = config.dModel, qkDim = m_nopeDim + m_ropeDim;
    if (a.qLoraRank > 0) {
        qA = register_module("q_a", linearNoBias(d, a.qLoraRank));
        qNorm = register_module("q_norm", RmsNorm(a.qLoraRank, config.normEps));
        qB = register_module("q_b", linearNoBias(a.qLoraRank, m_numHeads * qkDim));
    } else {
        wq = register_module("wq", linearNoBias(d, m_numHeads * qkDim));
    }
    kvA = register_module("kv_a", linearNoBias(d, m_kvRank + m_ropeDim));
    kvNorm = register_module("kv_norm", RmsNorm(m_kvRank, config.normEps));
    kvB = register_module("kv_b", linearNoBias(m_kvRank, m_numHeads * (m_nopeDim + m_vDim)));
    wo = register_module("wo", linearNoBias(m_numHeads * m_vDim, d));
    m_inputProjections = &packTogether({qA ? qA : wq, kvA});
    m_rope = register_module("rope", RotaryEmbedding(m_ropeDim, a.ropeBase, a.ropeScaling));
    // DeepSeek-V3 under YaRN also scales the scores, by the squared mscale of all dimensions.
    const model_spec::RopeScaling& scaling = a.ropeScaling;
    if (scaling.kind == model_spec::RopeScalingKind::Yarn && scaling.mscaleAllDim > 0) {
        double mscale = yarnMscale(scaling.factor, scaling.mscaleAllDim);
        m_scale = mscale * mscale / std::sqrt(double(qkDim));
    }
}

torch::Tensor MlaAttentionImpl::forward(const torch::Tensor& x_BTD, LayerKvCache* cache,
                                        const AttentionLayout* layout) {
    TORCH_CHECK(x_BTD.dim() == 3, "MlaAttention expects (B,T,D), got ", x_BTD.sizes());
    int64_t batch = x_BTD.size(0), length = x_BTD.size(1), heads = m_numHeads;
    int64_t offset = cache ? cache->length() : 0;
    Rotation rotation =
        layout ? m_rope->rotation(layout->positions_BT) : m_rope->rotation(offset, length);
    std::vector<torch::Tensor> projected = m_inputProjections->forward(x_BTD);
    torch::Tensor q_BTX = qA ? project(qB, qNorm->forward(projected[0])) : projected[0];
    torch::Tensor q_BHTX =
        q_BTX.view({batch, length, heads, m_nopeDim + m_ropeDim}).transpose(1, 2);
    std::vector<torch::Tensor> q = q_BHTX.split({m_nopeDim, m_ropeDim}, -1);
    torch::Tensor qRope_BHTDr = rotate(q[1], rotation);

    std::vector<torch::Tensor> kv = projected[1].split({m_kvRank, m_ropeDim}, -1);
    torch::Tensor latent_BTC = kvNorm->forward(kv[0]);
    torch::Tensor kRope_B1TDr = rotate(kv[1].unsqueeze(1), rotation);
    if (cache) {
        torch::Tensor cached_B1TX = cache->latentAndRotaryKey.append(
            torch::cat({latent_BTC.unsqueeze(1), kRope_B1TDr}, -1));
        // Tokens that continue a cache read its latent directly, unless an override (LoRA, FP8)
        // owns kvB's product and the plain weight is not the whole story.
        if (offset > 0 && !currentMatmulOverride())
            return project(wo, attendToLatent(q[0], qRope_BHTDr, cached_B1TX, layout));
        latent_BTC = cached_B1TX.squeeze(1).narrow(-1, 0, m_kvRank);
        kRope_B1TDr = cached_B1TX.narrow(-1, m_kvRank, m_ropeDim);
    }
    int64_t keyLength = latent_BTC.size(1);
    torch::Tensor kv_BHTX = project(kvB, latent_BTC)
                                .view({batch, keyLength, heads, m_nopeDim + m_vDim})
                                .transpose(1, 2);
    std::vector<torch::Tensor> kNopeAndV = kv_BHTX.split({m_nopeDim, m_vDim}, -1);
    torch::Tensor key_BHTX =
        torch::cat({kNopeAndV[0], kRope_B1TDr.expand({batch, heads, keyLength, m_ropeDim})}, -1);
    torch::Tensor out_BHTDv =
        causalAttention(torch::cat({q[0], qRope_BHTDr}, -1), key_BHTX, kNopeAndV[1],
                        m_slidingWindow, layout ? layout->mask_B1TTk : torch::Tensor(), m_scale);
    return project(wo, out_BHTDv.transpose(1, 2).reshape({batch, length, heads * m_vDim}));
}

torch::Tensor MlaAttentionImpl::attendToLatent(const torch::Tensor& qNope_BHTDn,
                                               const torch::Tensor& qRope_BHTDr,
                                               const torch::Tensor& cached_B1TkX,
                                               const AttentionLayout* layout) {
    int64_t batch = qNope_BHTDn.size(0), heads = m_numHeads, length = qNope_BHTDn.size(2);
    int64_t keyLength = cached_B1TkX.size(2), width = m_kvRank + m_ropeDim;
    // kvB's weight per head: the rows that make keys (Dn) and values (Dv) from the latent.
    torch::Tensor weight_HXC = kvB->weight.view({heads, m_nopeDim + m_vDim, m_kvRank});
    auto byHead = [&](const torch::Tensor& x_BHTX) {
        return x_BHTX.transpose(0, 1).reshape({heads, batch * length, x_BHTX.size(-1)});
    };
    // qn . (Wk c) = (Wk^T qn) . c: each head's query moves into the latent space instead.
    torch::Tensor qLatent_HNC = torch::bmm(byHead(qNope_BHTDn), weight_HXC.narrow(1, 0, m_nopeDim));
    torch::Tensor query_BHTX = torch::cat(
        {qLatent_HNC.view({heads, batch, length, m_kvRank}).transpose(0, 1), qRope_BHTDr}, -1);
    // Every head reads the same keys, so heads and queries share one product per row.
    torch::Tensor keys_BTkX = cached_B1TkX.squeeze(1);
    torch::Tensor scores_BHTTk =
        torch::matmul(query_BHTX.reshape({batch, heads * length, width}), keys_BTkX.transpose(1, 2))
            .view({batch, heads, length, keyLength}) *
        m_scale.value_or(1.0 / std::sqrt(double(m_nopeDim + m_ropeDim)));
    torch::Tensor allowed =
        layout ? layout->mask_B1TTk
               : causalMask(length, keyLength, m_slidingWindow, scores_BHTTk.device());
    scores_BHTTk.masked_fill_(allowed.logical_not(), -INFINITY);
    torch::Tensor weights_BHTTk =
        torch::softmax(scores_BHTTk, -1, torch::kFloat32).to(scores_BHTTk.scalar_type());
    torch::Tensor latentOut_BHTC =
        torch::matmul(weights_BHTTk.view({batch, heads * length, keyLength}),
                      keys_BTkX.narrow(-1, 0, m_kvRank))
            .view({batch, heads, length, m_kvRank});
    // Wv c per head, after the weighting: the values never exist per position.
    torch::Tensor out_HNDv =
        torch::bmm(byHead(latentOut_BHTC), weight_HXC.narrow(1, m_nopeDim, m_vDim).transpose(1, 2));
    return out_HNDv.view({heads, batch, length, m_vDim})
        .permute({1, 2, 0, 3})
        .reshape({batch, length, heads * m_vDim});
}

}  // namespace strata::model
