// The language model: token embedding -> blocks -> final RMSNorm -> output projection (or the
// embedding again, when tied). Each block is pre-norm: x + attention(norm(x)), then
// x + ffn(norm(x)), where attention is GQA or MLA and the feed-forward block is dense SwiGLU or a
// Mixture of Experts (ModelConfig::isMoeLayer). Weights start from N(0, 0.02), norms from ones,
// biases from zeros.
// B batch, T time, D model dim, V vocabulary.
#pragma once

#include "core/model/gqa_attention.h"
#include "core/model/kv_cache.h"
#include "core/model/mla_attention.h"
#include "core/model/moe_layer.h"
#include "core/model/rms_norm.h"
#include "core/model/sequence_layout.h"
#include "core/model/swiglu.h"
#include "core/model_spec/model_config.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace strata::model {

struct TransformerOutput {
    torch::Tensor logits_BTV;  // empty from forwardHidden()
    torch::Tensor hidden_BTD;  // after the final norm: what the output projection sees
    torch::Tensor routerLoss;  // the MoE layers' auxiliary and z losses, summed (0 if dense)
    std::vector<RouterOutput> routing;  // one per MoE layer, in layer order
};

class TransformerBlockImpl : public torch::nn::Module {
public:
    TransformerBlockImpl(const model_spec::ModelConfig& config, int layer);
    // Appends this block's routing to `routing` when it is a MoE block.
    torch::Tensor forward(const torch::Tensor& x_BTD, std::vector<RouterOutput>& routing,
                          LayerKvCache* cache, const AttentionLayout* layout);

    RmsNorm attentionNorm{nullptr};
    GqaAttention gqa{nullptr};  // exactly one of gqa and mla is set
    MlaAttention mla{nullptr};
    RmsNorm ffnNorm{nullptr};
    SwiGlu dense{nullptr};  // exactly one of dense and moe is set
    MoeLayer moe{nullptr};
};
TORCH_MODULE(TransformerBlock);

class TransformerImpl : public torch::nn::Module {
public:
    explicit TransformerImpl(model_spec::ModelConfig config);

    // With a cache, tokens_BT continue the cached positions (generation) and are added to it.
    // A layout packs several sequences into a row or pads them (sequence_layout.h); a cache
    // continued with a layout must have been started with one.
    TransformerOutput forward(const torch::Tensor& tokens_BT, KvCache* cache = nullptr,
                              const SequenceLayout* layout = nullptr);
    // Everything but the output projection, for losses that fuse it (linear_cross_entropy.h).
    TransformerOutput forwardHidden(const torch::Tensor& tokens_BT, KvCache* cache = nullptr,
                                    const SequenceLayout* layout = nullptr);
    // The output projection's (V, D) weight: the head's, or the embedding's when tied.
    const torch::Tensor& outputWeight() const;
    const model_spec::ModelConfig& config() const { return m_config; }
    // Activation checkpointing (block_checkpoint.h): while on, a forward with grad and without a
    // cache keeps only each block's input and recomputes the block in the backward.
    void setActivationCheckpointing(bool on) { m_activationCheckpointing = on; }
    bool activationCheckpointing() const { return m_activationCheckpointing; }

    torch::nn::Embedding embedding{nullptr};
    std::vector<TransformerBlock> blocks;
    RmsNorm finalNorm{nullptr};
    torch::nn::Linear head{nullptr};  // null when the embedding is tied

private:
    model_spec::ModelConfig m_config;
    bool m_activationCheckpointing = false;
};
TORCH_MODULE(Transformer);

}  // namespace strata::model
