#include "core/model_spec/model_config.h"

#include "core/common/config_reader.h"
#include "core/common/config_validator.h"
#include "core/common/toml_text.h"

#include <fmt/format.h>

namespace strata::model_spec {

using common::tomlBool;
using common::tomlFloat;

namespace {

// Sizes far beyond any model that exists (Llama 3 405B: d_model 16384, 126 layers; DeepSeek-V3:
// 256 experts; Gemma 3: 262144 tokens).
constexpr int kMaxVocabSize = 1 << 22;
constexpr int kMaxWidth = 1 << 16;  // d_model, head sizes, latent ranks
constexpr int kMaxLayers = 1024;
constexpr int kMaxContextLength = 1 << 20;
constexpr int kMaxHeads = 1024;
constexpr int kMaxExperts = 4096;
constexpr int kMaxHiddenSize = 1 << 20;

bool within(int value, int low, int high) {
    return value >= low && value <= high;
}

const char* attentionName(AttentionKind kind) {
    return kind == AttentionKind::Mla ? "mla" : "gqa";
}
const char* scoringName(RouterScoring scoring) {
    return scoring == RouterScoring::Sigmoid ? "sigmoid" : "softmax";
}

}  // namespace

int ModelConfig::resolvedDenseHiddenSize() const {
    if (denseHiddenSize > 0) return denseHiddenSize;
    int hidden = 4 * dModel * 2 / 3;
    return (hidden + 63) / 64 * 64;
}

ModelConfig readModelConfig(common::ConfigReader& reader, const ModelConfig& defaults) {
    ModelConfig c = defaults;
    AttentionConfig& a = c.attention;
    MoeConfig& m = c.moe;
    reader.read("model.vocab_size", c.vocabSize);
    reader.read("model.d_model", c.dModel);
    reader.read("model.num_layers", c.numLayers);
    reader.read("model.context_length", c.contextLength);
    reader.read("model.norm_eps", c.normEps);
    reader.read("model.tied_embeddings", c.tiedEmbeddings);
    reader.read("model.num_dense_layers", c.numDenseLayers);
    reader.read("model.dense_hidden_size", c.denseHiddenSize);

    std::string kind = attentionName(a.kind);
    reader.read("model.attention.kind", kind);
    reader.read("model.attention.num_heads", a.numHeads);
    reader.read("model.attention.num_kv_heads", a.numKvHeads);
    reader.read("model.attention.head_dim", a.headDim);
    reader.read("model.attention.rope_base", a.ropeBase);
    reader.read("model.attention.sliding_window", a.slidingWindow);
    reader.read("model.attention.q_lora_rank", a.qLoraRank);
    reader.read("model.attention.kv_lora_rank", a.kvLoraRank);
    reader.read("model.attention.qk_nope_head_dim", a.qkNopeHeadDim);
    reader.read("model.attention.qk_rope_head_dim", a.qkRopeHeadDim);
    reader.read("model.attention.v_head_dim", a.vHeadDim);

    std::string scoring = scoringName(m.scoring);
    reader.read("model.moe.num_routed_experts", m.numRoutedExperts);
    reader.read("model.moe.num_shared_experts", m.numSharedExperts);
    reader.read("model.moe.top_k", m.topK);
    reader.read("model.moe.expert_hidden_size", m.expertHiddenSize);
    reader.read("model.moe.scoring", scoring);
    reader.read("model.moe.aux_loss_coef", m.auxLossCoef);
    reader.read("model.moe.bias_update_speed", m.biasUpdateSpeed);
    reader.read("model.moe.capacity_factor", m.capacityFactor);
    reader.read("model.moe.z_loss_coef", m.zLossCoef);

    common::ConfigValidator v(reader);
    v.require(kind == "gqa" || kind == "mla", "model.attention.kind", "\"gqa\" or \"mla\"");
    v.require(scoring == "softmax" || scoring == "sigmoid", "model.moe.scoring",
              "\"softmax\" or \"sigmoid\"");
    a.kind = kind == "mla" ? AttentionKind::Mla : AttentionKind::Gqa;
    m.scoring = scoring == "sigmoid" ? RouterScoring::Sigmoid : RouterScoring::Softmax;

    // The upper bounds are far above any model that exists, and keep a mistyped size from
    // asking for terabytes before anything else is checked.
    v.require(within(c.vocabSize, 2, kMaxVocabSize), "model.vocab_size",
              fmt::format("between 2 and {}", kMaxVocabSize));
    v.require(within(c.dModel, 1, kMaxWidth), "model.d_model",
              fmt::format("between 1 and {}", kMaxWidth));
    v.require(within(c.numLayers, 1, kMaxLayers), "model.num_layers",
              fmt::format("between 1 and {}", kMaxLayers));
    v.require(within(c.contextLength, 1, kMaxContextLength), "model.context_length",
              fmt::format("between 1 and {}", kMaxContextLength));
    v.require(c.normEps > 0 && c.normEps < 1, "model.norm_eps", "in (0, 1)");
    v.require(c.numDenseLayers >= 0 && c.numDenseLayers <= c.numLayers, "model.num_dense_layers",
              "between 0 and model.num_layers");
    v.require(within(c.denseHiddenSize, 0, kMaxHiddenSize), "model.dense_hidden_size",
              fmt::format("between 0 (derived from d_model) and {}", kMaxHiddenSize));

    v.require(within(a.numHeads, 1, kMaxHeads), "model.attention.num_heads",
              fmt::format("between 1 and {}", kMaxHeads));
    v.require(a.ropeBase > 1, "model.attention.rope_base", "greater than 1");
    v.require(a.slidingWindow >= 0, "model.attention.sliding_window",
              "at least 0 (0: full causal attention)");
    if (a.kind == AttentionKind::Gqa && a.numHeads >= 1) {
        v.require(a.numKvHeads >= 1 && a.numHeads % a.numKvHeads == 0,
                  "model.attention.num_kv_heads", "a divisor of model.attention.num_heads");
        v.require(within(a.headDim, 0, kMaxWidth), "model.attention.head_dim",
                  fmt::format("between 0 (d_model / num_heads) and {}", kMaxWidth));
        bool headsDivide = a.headDim > 0 || c.dModel % a.numHeads == 0;
        v.require(headsDivide, "model.attention.num_heads",
                  "a divisor of model.d_model when head_dim is 0");
        if (headsDivide)
            v.require(c.resolvedHeadDim() % 2 == 0, "model.attention.head_dim",
                      "even (rotary embeddings rotate pairs)");
    }
    if (a.kind == AttentionKind::Mla) {
        const std::string positive = fmt::format("between 1 and {}", kMaxWidth);
        v.require(within(a.qLoraRank, 0, kMaxWidth), "model.attention.q_lora_rank",
                  fmt::format("between 0 (no query compression) and {}", kMaxWidth));
        v.require(within(a.kvLoraRank, 1, kMaxWidth), "model.attention.kv_lora_rank", positive);
        v.require(within(a.qkNopeHeadDim, 1, kMaxWidth), "model.attention.qk_nope_head_dim",
                  positive);
        v.require(within(a.qkRopeHeadDim, 2, kMaxWidth) && a.qkRopeHeadDim % 2 == 0,
                  "model.attention.qk_rope_head_dim",
                  fmt::format("even and between 2 and {}", kMaxWidth));
        v.require(within(a.vHeadDim, 1, kMaxWidth), "model.attention.v_head_dim", positive);
    }

    if (c.numDenseLayers < c.numLayers) {
        v.require(within(m.numRoutedExperts, 1, kMaxExperts), "model.moe.num_routed_experts",
                  fmt::format("between 1 and {} when a layer is MoE", kMaxExperts));
        v.require(within(m.numSharedExperts, 0, kMaxExperts), "model.moe.num_shared_experts",
                  fmt::format("between 0 and {}", kMaxExperts));
        v.require(m.topK >= 1 && m.topK <= m.numRoutedExperts, "model.moe.top_k",
                  "between 1 and model.moe.num_routed_experts");
        v.require(within(m.expertHiddenSize, 0, kMaxHiddenSize), "model.moe.expert_hidden_size",
                  fmt::format("between 0 (d_model) and {}", kMaxHiddenSize));
        v.require(m.auxLossCoef >= 0, "model.moe.aux_loss_coef", "at least 0");
        v.require(m.biasUpdateSpeed >= 0, "model.moe.bias_update_speed", "at least 0");
        v.require(m.capacityFactor == 0 || m.capacityFactor >= 1, "model.moe.capacity_factor",
                  "0 (no limit) or at least 1");
        v.require(m.zLossCoef >= 0, "model.moe.z_loss_coef", "at least 0");
    }
    v.finish();
    return c;
}

std::string defaultModelConfigText() {
    return modelConfigText(ModelConfig{});
}

std::string modelConfigText(const ModelConfig& c) {
    const AttentionConfig& a = c.attention;
    const MoeConfig& m = c.moe;
    return fmt::format(
        R"(# The model: a decoder-only Transformer, pre-norm (RMSNorm), rotary position embeddings,
# SwiGLU feed-forward blocks; after num_dense_layers dense layers every block is a Mixture of
# Experts. Impossible shapes (heads not dividing d_model, top_k above the expert count) are
# reported before training starts. `strata-cli model info CONFIG` prints the parameter counts,
# FLOPs per token and a memory estimate.
[model]
# Must equal the tokenizer's vocabulary size.
vocab_size = {}
d_model = {}
num_layers = {}
# Longest sequence trained on; rotary embeddings are computed up to it.
context_length = {}
norm_eps = {}
# Share the input embedding with the output projection.
tied_embeddings = {}
# Leading layers with a dense SwiGLU block instead of a Mixture of Experts (DeepSeek keeps the
# first few dense); equal to num_layers for a dense model.
num_dense_layers = {}
# Hidden size of those dense blocks; 0 means 4 * d_model * 2 / 3 rounded up to a multiple of 64.
dense_hidden_size = {}

[model.attention]
# "gqa": grouped-query attention; "mla": DeepSeek's multi-head latent attention.
kind = "{}"
num_heads = {}
# GQA: key/value heads, each shared by num_heads / num_kv_heads query heads (= num_heads: MHA).
num_kv_heads = {}
# GQA: per-head size; 0 means d_model / num_heads.
head_dim = {}
rope_base = {}
# 0: full causal attention; otherwise each token attends to at most this many latest tokens.
sliding_window = {}
# MLA: rank of the query latent (0: queries projected directly), rank of the key/value latent,
# and per-head sizes of the non-rotary and the decoupled rotary query/key parts and of values.
q_lora_rank = {}
kv_lora_rank = {}
qk_nope_head_dim = {}
qk_rope_head_dim = {}
v_head_dim = {}

[model.moe]
# Experts a router chooses from, and experts every token always uses.
num_routed_experts = {}
num_shared_experts = {}
# Routed experts per token.
top_k = {}
# SwiGLU hidden size of one expert; 0 means d_model.
expert_hidden_size = {}
# "softmax" over all experts, or "sigmoid" with the top-k weights normalized (DeepSeek-V3).
scoring = "{}"
# Load balancing: the auxiliary loss's coefficient, and the speed of DeepSeek-V3's
# auxiliary-loss-free per-expert bias; 0 turns either off.
aux_loss_coef = {}
bias_update_speed = {}
# 0: no limit. Otherwise an expert takes at most capacity_factor * tokens * top_k / experts
# tokens of a batch, and the rest are dropped (counted in the router statistics).
capacity_factor = {}
# Router z-loss coefficient (keeps router logits small); 0 turns it off.
z_loss_coef = {}
)",
        c.vocabSize, c.dModel, c.numLayers, c.contextLength, tomlFloat(c.normEps),
        tomlBool(c.tiedEmbeddings), c.numDenseLayers, c.denseHiddenSize, attentionName(a.kind),
        a.numHeads, a.numKvHeads, a.headDim, tomlFloat(a.ropeBase), a.slidingWindow, a.qLoraRank,
        a.kvLoraRank, a.qkNopeHeadDim, a.qkRopeHeadDim, a.vHeadDim, m.numRoutedExperts,
        m.numSharedExperts, m.topK, m.expertHiddenSize, scoringName(m.scoring),
        tomlFloat(m.auxLossCoef), tomlFloat(m.biasUpdateSpeed), tomlFloat(m.capacityFactor),
        tomlFloat(m.zLossCoef));
}

}  // namespace strata::model_spec
