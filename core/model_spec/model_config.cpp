#include "core/model_spec/model_config.h"

#include "core/common/config_table.h"

#include <fmt/format.h>

namespace strata::model_spec {

using common::atLeast;
using common::between;

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

constexpr const char* kAttentionKinds[] = {"gqa", "mla"};
constexpr const char* kRouterScorings[] = {"softmax", "sigmoid"};

// The upper bounds are far above any model that exists, and keep a mistyped size from asking
// for terabytes before anything else is checked.
const common::ConfigTable<ModelConfig>& modelTable() {
    static const auto table =
        common::ConfigTable<ModelConfig>(
            "model",
            "The model: a decoder-only Transformer, pre-norm (RMSNorm), rotary position "
            "embeddings,\n"
            "SwiGLU feed-forward blocks; after num_dense_layers dense layers every block is a "
            "Mixture of\n"
            "Experts. Impossible shapes (heads not dividing d_model, top_k above the expert "
            "count) are\n"
            "reported before training starts. `strata-cli model info CONFIG` prints the "
            "parameter counts,\n"
            "FLOPs per token and a memory estimate.")
            .key("vocab_size", &ModelConfig::vocabSize,
                 "Must equal the tokenizer's vocabulary size.", between(2, kMaxVocabSize))
            .key("d_model", &ModelConfig::dModel, "", between(1, kMaxWidth))
            .key("num_layers", &ModelConfig::numLayers, "", between(1, kMaxLayers))
            .key("context_length", &ModelConfig::contextLength,
                 "Longest sequence trained on; rotary embeddings are computed up to it.",
                 between(1, kMaxContextLength))
            .key("norm_eps", &ModelConfig::normEps, "",
                 {[](double eps) { return eps > 0 && eps < 1; }, "in (0, 1)"})
            .key("tied_embeddings", &ModelConfig::tiedEmbeddings,
                 "Share the input embedding with the output projection.")
            .key("num_dense_layers", &ModelConfig::numDenseLayers,
                 "Leading layers with a dense SwiGLU block instead of a Mixture of Experts "
                 "(DeepSeek keeps the\n"
                 "first few dense); equal to num_layers for a dense model.")
            .key("dense_hidden_size", &ModelConfig::denseHiddenSize,
                 "Hidden size of those dense blocks; 0 means 4 * d_model * 2 / 3 rounded up to a "
                 "multiple of 64.",
                 {[](int size) { return within(size, 0, kMaxHiddenSize); },
                  fmt::format("between 0 (derived from d_model) and {}", kMaxHiddenSize)});
    return table;
}

const common::ConfigTable<AttentionConfig>& attentionTable() {
    static const auto table =
        common::ConfigTable<AttentionConfig>("model.attention")
            .choice("kind", &AttentionConfig::kind, kAttentionKinds,
                    "\"gqa\": grouped-query attention; \"mla\": DeepSeek's multi-head latent "
                    "attention.")
            .key("num_heads", &AttentionConfig::numHeads, "", between(1, kMaxHeads))
            .key("num_kv_heads", &AttentionConfig::numKvHeads,
                 "GQA: key/value heads, each shared by num_heads / num_kv_heads query heads (= "
                 "num_heads: MHA).")
            .key("head_dim", &AttentionConfig::headDim,
                 "GQA: per-head size; 0 means d_model / num_heads.")
            .key("rope_base", &AttentionConfig::ropeBase, "",
                 {[](double base) { return base > 1; }, "greater than 1"})
            .key("sliding_window", &AttentionConfig::slidingWindow,
                 "0: full causal attention; otherwise each token attends to at most this many "
                 "latest tokens.",
                 atLeast(0, " (0: full causal attention)"))
            .key("q_lora_rank", &AttentionConfig::qLoraRank,
                 "MLA: rank of the query latent (0: queries projected directly), rank of the "
                 "key/value latent,\n"
                 "and per-head sizes of the non-rotary and the decoupled rotary query/key parts "
                 "and of values.")
            .key("kv_lora_rank", &AttentionConfig::kvLoraRank)
            .key("qk_nope_head_dim", &AttentionConfig::qkNopeHeadDim)
            .key("qk_rope_head_dim", &AttentionConfig::qkRopeHeadDim)
            .key("v_head_dim", &AttentionConfig::vHeadDim);
    return table;
}

const common::ConfigTable<MoeConfig>& moeTable() {
    static const auto table =
        common::ConfigTable<MoeConfig>("model.moe")
            .key("num_routed_experts", &MoeConfig::numRoutedExperts,
                 "Experts a router chooses from, and experts every token always uses.")
            .key("num_shared_experts", &MoeConfig::numSharedExperts)
            .key("top_k", &MoeConfig::topK, "Routed experts per token.")
            .key("expert_hidden_size", &MoeConfig::expertHiddenSize,
                 "SwiGLU hidden size of one expert; 0 means d_model.")
            .choice("scoring", &MoeConfig::scoring, kRouterScorings,
                    "\"softmax\" over all experts, or \"sigmoid\" with the top-k weights "
                    "normalized (DeepSeek-V3).")
            .key("aux_loss_coef", &MoeConfig::auxLossCoef,
                 "Load balancing: the auxiliary loss's coefficient, and the speed of "
                 "DeepSeek-V3's\n"
                 "auxiliary-loss-free per-expert bias; 0 turns either off.")
            .key("bias_update_speed", &MoeConfig::biasUpdateSpeed)
            .key("capacity_factor", &MoeConfig::capacityFactor,
                 "0: no limit. Otherwise an expert takes at most capacity_factor * tokens * "
                 "top_k / experts\n"
                 "tokens of a batch, and the rest are dropped (counted in the router "
                 "statistics).")
            .key("z_loss_coef", &MoeConfig::zLossCoef,
                 "Router z-loss coefficient (keeps router logits small); 0 turns it off.");
    return table;
}

}  // namespace

int ModelConfig::resolvedDenseHiddenSize() const {
    if (denseHiddenSize > 0) return denseHiddenSize;
    int hidden = 4 * dModel * 2 / 3;
    return (hidden + 63) / 64 * 64;
}

ModelConfig readModelConfig(common::ConfigReader& reader, const ModelConfig& defaults) {
    common::ConfigValidator v(reader);
    ModelConfig c = readModelConfig(reader, v, defaults);
    v.finish();
    return c;
}

ModelConfig readModelConfig(common::ConfigReader& reader, common::ConfigValidator& v,
                            const ModelConfig& defaults) {
    ModelConfig c = defaults;
    AttentionConfig& a = c.attention;
    MoeConfig& m = c.moe;
    modelTable().read(reader, v, c);
    attentionTable().read(reader, v, a);
    moeTable().read(reader, v, m);

    // What holds only together with other keys, or for one kind of attention or block.
    v.require(c.numDenseLayers >= 0 && c.numDenseLayers <= c.numLayers, "model.num_dense_layers",
              "between 0 and model.num_layers");
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
    return c;
}

std::string defaultModelConfigText() {
    return modelConfigText(ModelConfig{});
}

std::string modelConfigText(const ModelConfig& c) {
    return modelTable().text(c) + "\n" + attentionTable().text(c.attention) + "\n" +
           moeTable().text(c.moe);
}

}  // namespace strata::model_spec
