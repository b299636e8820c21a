#include "core/gguf/gguf_model_config.h"

#include "core/common/error.h"
#include "core/common/json_writer.h"

#include <fmt/format.h>

namespace strata::gguf {

using common::fail;

namespace {

constexpr const char* kArchitectures = "llama, qwen2, qwen3, qwen3moe and deepseek2";
// deepseek2.expert_gating_func: llama.cpp's numbers.
constexpr int64_t kGatingSoftmax = 1;
constexpr int64_t kGatingSigmoid = 2;

// Reads `<architecture>.<name>` keys.
class ArchitectureKeys {
public:
    ArchitectureKeys(const GgufFile& file, std::string architecture)
        : m_file(file), m_prefix(std::move(architecture) + ".") {}

    std::string key(std::string_view name) const { return m_prefix + std::string(name); }
    bool has(std::string_view name) const { return m_file.find(key(name)) != nullptr; }
    int64_t integer(std::string_view name) const { return m_file.integer(key(name)); }
    int64_t integer(std::string_view name, int64_t fallback) const {
        return m_file.findInteger(key(name)).value_or(fallback);
    }
    double number(std::string_view name) const { return m_file.number(key(name)); }
    double number(std::string_view name, double fallback) const {
        return m_file.findNumber(key(name)).value_or(fallback);
    }
    std::optional<std::string_view> string(std::string_view name) const {
        return m_file.findString(key(name));
    }

private:
    const GgufFile& m_file;
    std::string m_prefix;
};

void writeClass(common::JsonWriter& json, std::string_view name) {
    json.key("architectures").beginArray().value(name).endArray();
}

void writeTokenId(common::JsonWriter& json, const GgufFile& file, const char* key,
                  const char* ggufKey) {
    if (std::optional<int64_t> id = file.findInteger(ggufKey)) json.key(key).value(*id);
}

// rope.scaling.*: linear and YaRN; llama 3's scaling travels as a tensor of frequency factors.
void writeRopeScaling(common::JsonWriter& json, const GgufFile& file,
                      const ArchitectureKeys& keys) {
    if (file.findTensor("rope_freqs.weight"))
        fail(
            "{}: tensor 'rope_freqs.weight' (Llama 3's rotary frequency factors) has no "
            "Strata equivalent yet",
            file.name());
    std::string_view type = keys.string("rope.scaling.type").value_or("none");
    if (type == "none") return;
    json.key("rope_scaling").beginObject();
    if (type == "linear") {
        json.field("rope_type", "linear").field("factor", keys.number("rope.scaling.factor"));
    } else if (type == "yarn") {
        json.field("rope_type", "yarn")
            .field("factor", keys.number("rope.scaling.factor"))
            .field("original_max_position_embeddings",
                   keys.integer("rope.scaling.original_context_length"))
            .field("beta_fast", keys.number("rope.scaling.yarn_beta_fast", 32.0))
            .field("beta_slow", keys.number("rope.scaling.yarn_beta_slow", 1.0));
        // DeepSeek's mscale_all_dim travels as 0.1 * itself (llama.cpp's yarn_log_multiplier).
        if (keys.has("rope.scaling.yarn_log_multiplier")) {
            double mscale = keys.number("rope.scaling.yarn_log_multiplier") / 0.1;
            json.field("mscale", mscale).field("mscale_all_dim", mscale);
        }
    } else {
        fail("{}: key '{}' is '{}'; Strata computes linear and yarn rotary scaling", file.name(),
             keys.key("rope.scaling.type"), type);
    }
    json.endObject();
}

// Keys every family has.
void writeCommon(common::JsonWriter& json, const GgufFile& file, const ArchitectureKeys& keys,
                 int64_t vocabSize) {
    json.field("vocab_size", vocabSize)
        .field("hidden_size", keys.integer("embedding_length"))
        .field("num_attention_heads", keys.integer("attention.head_count"))
        .field("max_position_embeddings", keys.integer("context_length"))
        .field("rms_norm_eps", keys.number("attention.layer_norm_rms_epsilon"))
        .field("rope_theta", keys.number("rope.freq_base", 10000.0))
        .field("tie_word_embeddings", file.findTensor("output.weight") == nullptr);
    writeTokenId(json, file, "bos_token_id", "tokenizer.ggml.bos_token_id");
    writeTokenId(json, file, "eos_token_id", "tokenizer.ggml.eos_token_id");
    writeTokenId(json, file, "pad_token_id", "tokenizer.ggml.padding_token_id");
    writeRopeScaling(json, file, keys);
}

// Grouped-query attention: heads, key/value heads, and the head size where the file states it.
void writeGqa(common::JsonWriter& json, const ArchitectureKeys& keys) {
    int64_t heads = keys.integer("attention.head_count");
    json.field("num_key_value_heads", keys.integer("attention.head_count_kv", heads));
    int64_t headDim = keys.integer("attention.key_length",
                                   keys.integer("embedding_length") / std::max<int64_t>(heads, 1));
    json.field("head_dim", headDim);
    // Strata rotates whole heads, as these families do.
    int64_t rotary = keys.integer("rope.dimension_count", headDim);
    if (rotary != headDim)
        fail("{}: rotating {} of the {} values of each head has no Strata equivalent",
             keys.key("rope.dimension_count"), rotary, headDim);
}

int64_t vocabularySize(const GgufFile& file, const ArchitectureKeys& keys) {
    if (keys.has("vocab_size")) return keys.integer("vocab_size");
    if (const Array* tokens = file.findArray("tokenizer.ggml.tokens", ValueType::String))
        return int64_t(tokens->values.size());
    const TensorInfo* embedding = file.findTensor("token_embd.weight");
    if (!embedding) fail("{}: tensor 'token_embd.weight' is missing", file.name());
    return embedding->shape.front();
}

void writeDeepseek2(common::JsonWriter& json, const GgufFile& file, const ArchitectureKeys& keys) {
    int64_t gating = keys.integer("expert_gating_func", kGatingSoftmax);
    if (gating != kGatingSigmoid)
        fail(
            "{}: key '{}' is {}: softmax routing is DeepSeek-V2's; Strata imports DeepSeek-V3's "
            "form of deepseek2 (sigmoid routing, {})",
            file.name(), keys.key("expert_gating_func"), gating, kGatingSigmoid);
    int64_t qkRope = keys.integer("rope.dimension_count");
    // Newer converters state the MLA head sizes in *_mla keys (key_length is then the latent's).
    int64_t qkHead = keys.integer("attention.key_length_mla", keys.integer("attention.key_length"));
    int64_t vHead =
        keys.integer("attention.value_length_mla", keys.integer("attention.value_length"));
    writeClass(json, "DeepseekV3ForCausalLM");
    json.field("model_type", "deepseek_v3")
        .field("num_key_value_heads", keys.integer("attention.head_count"))
        .field("intermediate_size", keys.integer("feed_forward_length"))
        .field("kv_lora_rank", keys.integer("attention.kv_lora_rank"))
        .field("qk_rope_head_dim", qkRope)
        .field("qk_nope_head_dim", qkHead - qkRope)
        .field("v_head_dim", vHead)
        .field("first_k_dense_replace", keys.integer("leading_dense_block_count", 0))
        .field("n_routed_experts", keys.integer("expert_count"))
        .field("n_shared_experts", keys.integer("expert_shared_count", 0))
        .field("num_experts_per_tok", keys.integer("expert_used_count"))
        .field("moe_intermediate_size", keys.integer("expert_feed_forward_length"))
        .field("routed_scaling_factor", keys.number("expert_weights_scale", 1.0))
        .field("norm_topk_prob", file.findBool(keys.key("expert_weights_norm")).value_or(false))
        .field("n_group", keys.integer("expert_group_count", 1))
        .field("topk_group", keys.integer("expert_group_used_count", 1))
        .field("rope_interleave", true)
        .field("num_nextn_predict_layers", keys.integer("nextn_predict_layers", 0));
    // block_count counts the multi-token-prediction layers too; the import leaves them out.
    json.field("num_hidden_layers",
               keys.integer("block_count") - keys.integer("nextn_predict_layers", 0));
    json.key("q_lora_rank");
    if (keys.has("attention.q_lora_rank"))
        json.value(keys.integer("attention.q_lora_rank"));
    else
        json.rawValue("null");
}

}  // namespace

std::string ggufConfigJson(const GgufFile& file) {
    std::string architecture(file.string("general.architecture"));
    if (architecture != "llama" && architecture != "qwen2" && architecture != "qwen3" &&
        architecture != "qwen3moe" && architecture != "deepseek2")
        fail("{}: architecture '{}' is not one Strata imports from GGUF ({})", file.name(),
             architecture, kArchitectures);
    ArchitectureKeys keys(file, architecture);
    int64_t vocabSize = vocabularySize(file, keys);
    common::JsonWriter json;
    json.beginObject();
    if (architecture == "llama") {
        int64_t experts = keys.integer("expert_count", 0);
        bool mixtral = experts > 0;
        writeClass(json, mixtral ? "MixtralForCausalLM" : "LlamaForCausalLM");
        json.field("model_type", mixtral ? "mixtral" : "llama")
            .field("intermediate_size", keys.integer("feed_forward_length"));
        if (mixtral)
            json.field("num_local_experts", experts)
                .field("num_experts_per_tok", keys.integer("expert_used_count"));
        writeGqa(json, keys);
    } else if (architecture == "qwen2") {
        writeClass(json, "Qwen2ForCausalLM");
        json.field("model_type", "qwen2")
            .field("intermediate_size", keys.integer("feed_forward_length"));
        writeGqa(json, keys);
    } else if (architecture == "qwen3") {
        writeClass(json, "Qwen3ForCausalLM");
        json.field("model_type", "qwen3")
            .field("intermediate_size", keys.integer("feed_forward_length"));
        writeGqa(json, keys);
    } else if (architecture == "qwen3moe") {
        // llama.cpp always renormalizes Qwen3-MoE's top-k weights.
        writeClass(json, "Qwen3MoeForCausalLM");
        json.field("model_type", "qwen3_moe")
            .field("num_experts", keys.integer("expert_count"))
            .field("num_experts_per_tok", keys.integer("expert_used_count"))
            .field("moe_intermediate_size", keys.integer("expert_feed_forward_length"))
            .field("norm_topk_prob", true);
        if (keys.has("feed_forward_length"))
            json.field("intermediate_size", keys.integer("feed_forward_length"));
        writeGqa(json, keys);
    } else {
        writeDeepseek2(json, file, keys);
    }
    if (architecture != "deepseek2") json.field("num_hidden_layers", keys.integer("block_count"));
    writeCommon(json, file, keys, vocabSize);
    return json.endObject().take();
}

GgufModelConfig readGgufModelConfig(const GgufFile& file) {
    GgufModelConfig model;
    model.architecture = std::string(file.string("general.architecture"));
    model.hf = model_spec::parseHfConfig(ggufConfigJson(file),
                                         file.name() + " (its metadata as config.json)");
    model.rotaryRowsInterleaved = model.architecture == "llama";
    return model;
}

namespace {

// Refuses, naming the setting, what llama.cpp's `architecture` would compute differently.
void refuseUnless(bool runs, const std::string& source, std::string_view architecture,
                  std::string_view what) {
    if (!runs)
        fail("{}: llama.cpp's {} architecture cannot run this model: {}", source, architecture,
             what);
}

void addRopeScaling(GgufWriter& writer, const std::string& prefix,
                    const model_spec::RopeScaling& scaling, const std::string& source,
                    std::string_view architecture) {
    using model_spec::RopeScalingKind;
    switch (scaling.kind) {
        case RopeScalingKind::None:
            return;
        case RopeScalingKind::Linear:
            writer.addString(prefix + "rope.scaling.type", "linear")
                .addF32(prefix + "rope.scaling.factor", float(scaling.factor));
            return;
        case RopeScalingKind::Yarn:
            refuseUnless(
                scaling.attentionFactor == 0 && scaling.truncate &&
                    scaling.mscale == scaling.mscaleAllDim,
                source, architecture,
                "its YaRN settings (attention_factor, truncate, mscale) have no GGUF keys");
            writer.addString(prefix + "rope.scaling.type", "yarn")
                .addF32(prefix + "rope.scaling.factor", float(scaling.factor))
                .addU32(prefix + "rope.scaling.original_context_length",
                        uint32_t(scaling.originalContextLength))
                .addF32(prefix + "rope.scaling.yarn_beta_fast", float(scaling.betaFast))
                .addF32(prefix + "rope.scaling.yarn_beta_slow", float(scaling.betaSlow));
            if (scaling.mscaleAllDim > 0)
                writer.addF32(prefix + "rope.scaling.yarn_log_multiplier",
                              float(0.1 * scaling.mscaleAllDim));
            return;
        case RopeScalingKind::Llama3:
            refuseUnless(false, source, architecture,
                         "Llama 3's rotary scaling travels as a rope_freqs tensor Strata does not "
                         "write");
    }
}

}  // namespace

std::string addGgufModelMetadata(GgufWriter& writer, const model_spec::ModelConfig& c,
                                 model_spec::ModelFamily family, const std::string& source) {
    using model_spec::ModelFamily;
    const model_spec::AttentionConfig& a = c.attention;
    const model_spec::MoeConfig& m = c.moe;
    std::string architecture;
    switch (family) {
        case ModelFamily::Llama:
        case ModelFamily::Mistral:
        case ModelFamily::Mixtral:
            architecture = "llama";
            break;
        case ModelFamily::Qwen2:
            architecture = "qwen2";
            break;
        case ModelFamily::Qwen3:
            architecture = "qwen3";
            break;
        case ModelFamily::Qwen3Moe:
            architecture = "qwen3moe";
            break;
        case ModelFamily::DeepseekV3:
            architecture = "deepseek2";
            break;
        case ModelFamily::Strata:
            fail("{}: a model must be given a Hugging Face family before GGUF export", source);
    }
    const std::string p = architecture + ".";
    refuseUnless(a.slidingWindow == 0 || a.slidingWindow >= c.contextLength, source, architecture,
                 "its attention has a sliding window");
    writer.addString("general.architecture", architecture)
        .addU32(p + "block_count", uint32_t(c.numLayers))
        .addU32(p + "context_length", uint32_t(c.contextLength))
        .addU32(p + "embedding_length", uint32_t(c.dModel))
        .addU32(p + "attention.head_count", uint32_t(a.numHeads))
        .addF32(p + "rope.freq_base", float(a.ropeBase))
        .addF32(p + "attention.layer_norm_rms_epsilon", float(c.normEps))
        .addU32(p + "vocab_size", uint32_t(c.vocabSize));
    addRopeScaling(writer, p, a.ropeScaling, source, architecture);

    if (architecture == "deepseek2") {
        refuseUnless(m.scoring == model_spec::RouterScoring::Sigmoid, source, architecture,
                     "DeepSeek-V3's routers score with a sigmoid");
        // llama.cpp runs latent attention as one shared key/value head of the latent's width.
        writer.addU32(p + "attention.head_count_kv", 1)
            .addU32(p + "feed_forward_length", uint32_t(c.resolvedDenseHiddenSize()))
            .addU32(p + "leading_dense_block_count", uint32_t(c.numDenseLayers))
            .addU32(p + "attention.kv_lora_rank", uint32_t(a.kvLoraRank))
            .addU32(p + "attention.key_length", uint32_t(a.kvLoraRank + a.qkRopeHeadDim))
            .addU32(p + "attention.value_length", uint32_t(a.kvLoraRank))
            .addU32(p + "attention.key_length_mla", uint32_t(a.qkNopeHeadDim + a.qkRopeHeadDim))
            .addU32(p + "attention.value_length_mla", uint32_t(a.vHeadDim))
            .addU32(p + "rope.dimension_count", uint32_t(a.qkRopeHeadDim))
            .addU32(p + "expert_count", uint32_t(m.numRoutedExperts))
            .addU32(p + "expert_shared_count", uint32_t(m.numSharedExperts))
            .addU32(p + "expert_used_count", uint32_t(m.topK))
            .addU32(p + "expert_feed_forward_length", uint32_t(c.resolvedExpertHiddenSize()))
            .addF32(p + "expert_weights_scale", float(m.routedScaling))
            .addBool(p + "expert_weights_norm", m.normalizeTopK)
            .addU32(p + "expert_gating_func", uint32_t(kGatingSigmoid))
            .addU32(p + "expert_group_count", uint32_t(m.numGroups))
            .addU32(p + "expert_group_used_count", uint32_t(m.topKGroups));
        if (a.qLoraRank > 0) writer.addU32(p + "attention.q_lora_rank", uint32_t(a.qLoraRank));
        return architecture;
    }

    writer.addU32(p + "attention.head_count_kv", uint32_t(a.numKvHeads))
        .addU32(p + "attention.key_length", uint32_t(c.resolvedHeadDim()))
        .addU32(p + "attention.value_length", uint32_t(c.resolvedHeadDim()))
        .addU32(p + "rope.dimension_count", uint32_t(c.resolvedHeadDim()));
    if (family == ModelFamily::Mixtral) {
        writer.addU32(p + "feed_forward_length", uint32_t(c.resolvedExpertHiddenSize()))
            .addU32(p + "expert_count", uint32_t(m.numRoutedExperts))
            .addU32(p + "expert_used_count", uint32_t(m.topK));
    } else if (family == ModelFamily::Qwen3Moe) {
        refuseUnless(c.numMoeLayers() == c.numLayers, source, architecture,
                     "some of its layers are dense (mlp_only_layers, decoder_sparse_step)");
        refuseUnless(m.normalizeTopK, source, architecture,
                     "llama.cpp always renormalizes the chosen experts' weights "
                     "(norm_topk_prob must be true)");
        writer.addU32(p + "expert_count", uint32_t(m.numRoutedExperts))
            .addU32(p + "expert_used_count", uint32_t(m.topK))
            .addU32(p + "expert_feed_forward_length", uint32_t(c.resolvedExpertHiddenSize()));
    } else {
        writer.addU32(p + "feed_forward_length", uint32_t(c.resolvedDenseHiddenSize()));
    }
    return architecture;
}

}  // namespace strata::gguf
