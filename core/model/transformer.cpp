#include "core/model/transformer.h"

#include "core/model/block_checkpoint.h"
#include "core/model/linear.h"

#include <fmt/format.h>

#include <optional>

namespace strata::model {

TransformerBlockImpl::TransformerBlockImpl(const model_spec::ModelConfig& config, int layer) {
    attentionNorm = register_module("attention_norm", RmsNorm(config.dModel, config.normEps));
    if (config.attention.kind == model_spec::AttentionKind::Mla) {
        mla = register_module("attention", MlaAttention(config));
    } else {
        gqa = register_module("attention", GqaAttention(config));
    }
    ffnNorm = register_module("ffn_norm", RmsNorm(config.dModel, config.normEps));
    if (config.isMoeLayer(layer)) {
        moe = register_module("moe", MoeLayer(config));
    } else {
        dense = register_module("ffn", SwiGlu(config.dModel, config.resolvedDenseHiddenSize()));
    }
}

torch::Tensor TransformerBlockImpl::forward(const torch::Tensor& x_BTD,
                                            std::vector<RouterOutput>& routing, LayerKvCache* cache,
                                            const AttentionLayout* layout) {
    torch::Tensor normed = attentionNorm->forward(x_BTD);
    torch::Tensor h_BTD =
        x_BTD + (mla ? mla->forward(normed, cache, layout) : gqa->forward(normed, cache, layout));
    normed = ffnNorm->forward(h_BTD);
    if (dense) return h_BTD + dense->forward(normed);
    MoeOutput out = moe->forward(normed);
    routing.push_back(std::move(out.routing));
    return h_BTD + out.y_BTD;
}

TransformerImpl::TransformerImpl(model_spec::ModelConfig config) : m_config(std::move(config)) {
    const model_spec::ModelConfig& c = m_config;
    embedding = register_module("embedding", torch::nn::Embedding(c.vocabSize, c.dModel));
    for (int layer = 0; layer < c.numLayers; ++layer)
        blocks.push_back(
            register_module(fmt::format("block{}", layer), TransformerBlock(c, layer)));
    finalNorm = register_module("final_norm", RmsNorm(c.dModel, c.normEps));
    if (!c.tiedEmbeddings) head = register_module("head", linearNoBias(c.dModel, c.vocabSize));

    torch::NoGradGuard noGrad;
    for (auto& parameter : named_parameters()) {
        const std::string& name = parameter.key();
        if (name.ends_with(".bias"))
            parameter.value().zero_();
        else if (name.find("norm") == std::string::npos)
            parameter.value().normal_(0.0, 0.02);
    }
}

TransformerOutput TransformerImpl::forward(const torch::Tensor& tokens_BT, KvCache* cache,
                                           const SequenceLayout* layout) {
    TransformerOutput out = forwardHidden(tokens_BT, cache, layout);
    out.logits_BTV =
        head ? head->forward(out.hidden_BTD) : torch::matmul(out.hidden_BTD, embedding->weight.t());
    return out;
}

const torch::Tensor& TransformerImpl::outputWeight() const {
    return head ? head->weight : embedding->weight;
}

TransformerOutput TransformerImpl::forwardHidden(const torch::Tensor& tokens_BT, KvCache* cache,
                                                 const SequenceLayout* layout) {
    TORCH_CHECK(tokens_BT.dim() == 2, "Transformer expects token ids (B,T), got ",
                tokens_BT.sizes());
    TORCH_CHECK(!cache || !torch::GradMode::is_enabled(),
                "a KV cache serves generation, which runs without gradients");
    if (cache && cache->layers.empty())
        cache->layers.assign(blocks.size(), LayerKvCache(cache->capacity));
    int64_t end = (cache ? cache->length() : 0) + tokens_BT.size(1);
    TORCH_CHECK(end <= m_config.contextLength, "sequence of ", end,
                " tokens is longer than model.context_length ", m_config.contextLength);
    std::optional<AttentionLayout> attention;
    if (layout) {
        TORCH_CHECK(!cache || cache->length() == 0 || cache->segments.length() > 0,
                    "a layout cannot continue a cache started without one");
        torch::Tensor segments_BT = layout->segments_BT.to(tokens_BT.device());
        torch::Tensor keySegments_BT = cache ? cache->segments.append(segments_BT) : segments_BT;
        attention = AttentionLayout{
            layout->positions_BT.to(tokens_BT.device()),
            segmentMask(segments_BT, keySegments_BT, m_config.attention.slidingWindow)};
    }
    TransformerOutput out;
    torch::Tensor x_BTD = embedding->forward(tokens_BT);
    const bool checkpointing = m_activationCheckpointing && torch::GradMode::is_enabled();
    for (size_t layer = 0; layer < blocks.size(); ++layer)
        x_BTD = checkpointing ? checkpointedBlockForward(blocks[layer], x_BTD, out.routing,
                                                         attention ? &*attention : nullptr)
                              : blocks[layer]->forward(x_BTD, out.routing,
                                                       cache ? &cache->layers[layer] : nullptr,
                                                       attention ? &*attention : nullptr);
    out.hidden_BTD = finalNorm->forward(x_BTD);
    out.routerLoss = torch::zeros({}, x_BTD.options().dtype(torch::kFloat32));
    for (const RouterOutput& routing : out.routing)
        out.routerLoss = out.routerLoss + routing.auxLoss + routing.zLoss;
    return out;
}

}  // namespace strata::model
