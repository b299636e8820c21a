#include "core/model_spec/model_shapes.h"

#include <fmt/format.h>

namespace strata::model_spec {

TensorShapes modelTensorShapes(const ModelConfig& c) {
    const AttentionConfig& a = c.attention;
    const int64_t d = c.dModel;
    TensorShapes shapes;
    auto add = [&](std::string name, std::vector<int64_t> shape) {
        shapes.emplace_back(std::move(name), std::move(shape));
    };
    add("embedding.weight", {c.vocabSize, d});
    for (int layer = 0; layer < c.numLayers; ++layer) {
        const std::string block = fmt::format("block{}.", layer);
        add(block + "attention_norm.weight", {d});
        const std::string attention = block + "attention.";
        if (a.kind == AttentionKind::Mla) {
            const int64_t qkDim = a.qkNopeHeadDim + a.qkRopeHeadDim;
            if (a.qLoraRank > 0) {
                add(attention + "q_a.weight", {a.qLoraRank, d});
                add(attention + "q_norm.weight", {a.qLoraRank});
                add(attention + "q_b.weight", {a.numHeads * qkDim, a.qLoraRank});
            } else {
                add(attention + "wq.weight", {a.numHeads * qkDim, d});
            }
            add(attention + "kv_a.weight", {a.kvLoraRank + a.qkRopeHeadDim, d});
            add(attention + "kv_norm.weight", {a.kvLoraRank});
            add(attention + "kv_b.weight",
                {int64_t(a.numHeads) * (a.qkNopeHeadDim + a.vHeadDim), a.kvLoraRank});
            add(attention + "wo.weight", {d, int64_t(a.numHeads) * a.vHeadDim});
        } else {
            const int64_t headDim = c.resolvedHeadDim();
            add(attention + "wq.weight", {a.numHeads * headDim, d});
            add(attention + "wk.weight", {a.numKvHeads * headDim, d});
            add(attention + "wv.weight", {a.numKvHeads * headDim, d});
            if (a.qkvBias) {
                add(attention + "wq.bias", {a.numHeads * headDim});
                add(attention + "wk.bias", {a.numKvHeads * headDim});
                add(attention + "wv.bias", {a.numKvHeads * headDim});
            }
            if (a.qkNorm) {
                add(attention + "q_norm.weight", {headDim});
                add(attention + "k_norm.weight", {headDim});
            }
            add(attention + "wo.weight", {d, a.numHeads * headDim});
            if (a.outputBias) add(attention + "wo.bias", {d});
        }
        add(block + "ffn_norm.weight", {d});
        auto swiglu = [&](const std::string& prefix, int64_t hidden) {
            add(prefix + "gate.weight", {hidden, d});
            add(prefix + "up.weight", {hidden, d});
            add(prefix + "down.weight", {d, hidden});
        };
        if (!c.isMoeLayer(layer)) {
            swiglu(block + "ffn.", c.resolvedDenseHiddenSize());
            continue;
        }
        const int64_t experts = c.moe.numRoutedExperts, hidden = c.resolvedExpertHiddenSize();
        add(block + "moe.router.gate.weight", {experts, d});
        add(block + "moe.router.bias", {experts});
        add(block + "moe.experts.gate", {experts, hidden, d});
        add(block + "moe.experts.up", {experts, hidden, d});
        add(block + "moe.experts.down", {experts, d, hidden});
        if (c.moe.numSharedExperts > 0)
            swiglu(block + "moe.shared.", c.moe.numSharedExperts * hidden);
    }
    add("final_norm.weight", {d});
    if (!c.tiedEmbeddings) add("head.weight", {c.vocabSize, d});
    return shapes;
}

}  // namespace strata::model_spec
