#include "core/model_spec/model_config.h"

#include "core/common/config_table.h"

#include <fmt/format.h>

#include <algorithm>

namespace strata::model_spec {

using common::atLeast;
using common::between;
using common::positive;

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
constexpr const char* kRopeScalingKinds[] = {"none", "linear", "llama3", "yarn"};

// The upper bounds are far above any model that exists, and keep a mistyped size from asking
// for terabytes before anything else is checked.
const common::ConfigTable<ModelConfig>& modelTable() {
    static const auto table =
        common::ConfigTable<ModelConfig>(
            "model",
            "The model: a decoder-only Transformer, pre-norm (RMSNorm), rotary position "
            "embeddings,\n"
            "SwiGLU feed-forward blocks, dense or Mixture of Experts (after num_dense_layers "
            "dense layers,\n"
            "as moe_layer_step and dense_layers say). Impossible shapes (heads not dividing "
            "d_model,\n"
            "top_k above the expert count) are reported before training starts. `strata-cli "
            "model info\n"
            "CONFIG` prints the parameter counts, FLOPs per token and a memory estimate.")
            .choice("family", &ModelConfig::family, kModelFamilyNames,
                    "The Hugging Face architecture: \"strata\" for a model designed here (export "
                    "writes the\n"
                    "architecture that holds it), otherwise the model_type it was imported as, "
                    "which export\n"
                    "writes back.")
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
                  fmt::format("between 0 (derived from d_model) and {}", kMaxHiddenSize)})
            .key("moe_layer_step", &ModelConfig::moeLayerStep,
                 "After the leading dense layers, layer i is MoE when i + 1 is a multiple of "
                 "moe_layer_step and\n"
                 "i is not in dense_layers (Qwen-MoE's decoder_sparse_step and "
                 "mlp_only_layers).",
                 between(1, kMaxLayers))
            .key("dense_layers", &ModelConfig::denseLayers);
    return table;
}

const common::ConfigTable<RopeScaling>& ropeScalingTable() {
    static const auto table =
        common::ConfigTable<RopeScaling>(
            "model.attention.rope_scaling",
            "Rotary embeddings stretched past the pretraining context, as transformers computes "
            "them:\n"
            "\"linear\" divides positions by factor; \"llama3\" (Llama 3.1+) and \"yarn\" "
            "(DeepSeek-V3, Qwen)\n"
            "interpolate low frequencies only, from original_context_length.")
            .choice("kind", &RopeScaling::kind, kRopeScalingKinds)
            .key("factor", &RopeScaling::factor, "", atLeast(1.0))
            .key("original_context_length", &RopeScaling::originalContextLength, "",
                 between(0, kMaxContextLength))
            .key("low_freq_factor", &RopeScaling::lowFreqFactor, "llama3's band edges.",
                 positive<double>())
            .key("high_freq_factor", &RopeScaling::highFreqFactor, "", positive<double>())
            .key("beta_fast", &RopeScaling::betaFast,
                 "yarn: the ramp's ends in rotations, the mscales (0: absent) and the cos/sin "
                 "scale (0: derived).",
                 positive<double>())
            .key("beta_slow", &RopeScaling::betaSlow, "", positive<double>())
            .key("mscale", &RopeScaling::mscale, "", atLeast(0.0))
            .key("mscale_all_dim", &RopeScaling::mscaleAllDim, "", atLeast(0.0))
            .key("attention_factor", &RopeScaling::attentionFactor, "", atLeast(0.0))
            .key("truncate", &RopeScaling::truncate);
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
            .key("qkv_bias", &AttentionConfig::qkvBias,
                 "GQA: biases on the query/key/value projections (Qwen2) and on the output "
                 "projection, and\n"
                 "RMSNorm of each query and key head before rotation (Qwen3).")
            .key("output_bias", &AttentionConfig::outputBias)
            .key("qk_norm", &AttentionConfig::qkNorm)
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
                 "Router z-loss coefficient (keeps router logits small); 0 turns it off.")
            .key("normalize_top_k", &MoeConfig::normalizeTopK,
                 "Whether the top-k weights are divided by their sum, and the factor the routed "
                 "experts'\n"
                 "output is multiplied by (DeepSeek-V3's routed_scaling_factor).")
            .key("routed_scaling", &MoeConfig::routedScaling, "", positive<double>())
            .key("num_groups", &MoeConfig::numGroups,
                 "DeepSeek-V3's group-limited routing: experts in num_groups groups, chosen only "
                 "from the\n"
                 "top_k_groups groups with the best two scores; 1 and 1 route among all experts.",
                 between(1, kMaxExperts))
            .key("top_k_groups", &MoeConfig::topKGroups, "", between(1, kMaxExperts));
    return table;
}

}  // namespace

bool ModelConfig::isMoeLayer(int layer) const {
    return layer >= numDenseLayers && (layer + 1) % moeLayerStep == 0 &&
           std::find(denseLayers.begin(), denseLayers.end(), layer) == denseLayers.end();
}

int ModelConfig::numMoeLayers() const {
    int count = 0;
    for (int layer = 0; layer < numLayers; ++layer)
        count += isMoeLayer(layer);
    return count;
}

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
    ropeScalingTable().read(reader, v, a.ropeScaling);
    moeTable().read(reader, v, m);

    // What holds only together with other keys, or for one kind of attention or block.
    v.require(c.numDenseLayers >= 0 && c.numDenseLayers <= c.numLayers, "model.num_dense_layers",
              "between 0 and model.num_layers");
    for (int layer : c.denseLayers)
        v.require(layer >= 0 && layer < c.numLayers, "model.dense_layers",
                  "a list of layer numbers from 0 to model.num_layers - 1");
    const RopeScaling& rope = a.ropeScaling;
    if (rope.kind == RopeScalingKind::Llama3 || rope.kind == RopeScalingKind::Yarn)
        v.require(rope.originalContextLength >= 1,
                  "model.attention.rope_scaling.original_context_length",
                  "at least 1 for llama3 and yarn scaling");
    if (rope.kind == RopeScalingKind::Llama3)
        v.require(rope.lowFreqFactor < rope.highFreqFactor,
                  "model.attention.rope_scaling.low_freq_factor", "below high_freq_factor");
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
        v.require(!a.qkvBias, "model.attention.qkv_bias", "false with MLA");
        v.require(!a.outputBias, "model.attention.output_bias", "false with MLA");
        v.require(!a.qkNorm, "model.attention.qk_norm", "false with MLA (its latents have norms)");
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

    if (c.numMoeLayers() > 0) {
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
        bool grouped = m.numGroups >= 1 && m.numRoutedExperts % m.numGroups == 0;
        v.require(grouped, "model.moe.num_groups", "a divisor of model.moe.num_routed_experts");
        if (grouped && m.numGroups > 1) {
            int groupSize = m.numRoutedExperts / m.numGroups;
            v.require(groupSize >= 2, "model.moe.num_groups",
                      "at most half of model.moe.num_routed_experts (groups are ranked by their "
                      "two best scores)");
            v.require(m.topKGroups <= m.numGroups && m.topK <= m.topKGroups * groupSize,
                      "model.moe.top_k_groups",
                      "at most model.moe.num_groups, with enough experts for model.moe.top_k");
        }
    }
    return c;
}

std::string defaultModelConfigText() {
    return modelConfigText(ModelConfig{});
}

std::string modelConfigText(const ModelConfig& c) {
    return modelTable().text(c) + "\n" + attentionTable().text(c.attention) + "\n" +
           ropeScalingTable().text(c.attention.ropeScaling) + "\n" + moeTable().text(c.moe);
}

}  // namespace strata::model_spec
