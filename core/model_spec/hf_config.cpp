#include "core/model_spec/hf_config.h"

#include "core/common/config_reader.h"
#include "core/common/error.h"
#include "core/common/json_object.h"
#include "core/common/json_writer.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <climits>
#include <initializer_list>
#include <iterator>
#include <sstream>
#include <utility>
#include <vector>

namespace strata::model_spec {

namespace fs = std::filesystem;
using common::fail;

namespace {

// DeepseekV3 builds its query and key/value latent norms with RMSNorm's default epsilon, whatever
// rms_norm_eps says; Strata uses model.norm_eps for every norm.
constexpr double kDeepseekLatentNormEps = 1e-6;

const char* scoringName(RouterScoring scoring) {
    return scoring == RouterScoring::Sigmoid ? "\"sigmoid\"" : "\"softmax\"";
}

// ---- writing ----------------------------------------------------------------------------------

std::string jsonString(std::string_view text) {
    std::string out;
    common::appendJsonString(out, text);
    return out;
}

// transformers checks types strictly: a float key written as `1` is refused, so floats always
// carry a decimal point or an exponent.
std::string jsonFloat(double value) {
    std::string text = fmt::format("{}", value);
    if (text.find_first_of(".eE") == std::string::npos) text += ".0";
    return text;
}

std::string jsonBool(bool value) {
    return value ? "true" : "false";
}

std::string jsonTokenId(const std::optional<HfSpecialToken>& token) {
    return token ? std::to_string(token->id) : "null";
}

// config.json as transformers writes it: one key a line, in the order added.
class ConfigJsonText {
public:
    ConfigJsonText& add(std::string_view key, std::string json) {
        m_lines.push_back(fmt::format("  {}: {}", jsonString(key), json));
        return *this;
    }
    ConfigJsonText& add(std::string_view key, int value) { return add(key, std::to_string(value)); }
    std::string text() const { return fmt::format("{{\n{}\n}}\n", fmt::join(m_lines, ",\n")); }

private:
    std::vector<std::string> m_lines;
};

// ---- reading ----------------------------------------------------------------------------------

// One JSON object of config.json with typed, named lookups; every error names the file and the
// key (nested keys as "rope_parameters.rope_type").
class JsonConfig {
public:
    JsonConfig(simdjson::dom::object object, std::string file, std::string prefix = {})
        : m_object(object), m_file(std::move(file)), m_prefix(std::move(prefix)) {}

    // The first of a key's spellings that is present (transformers' attribute_map lets a
    // config.json use either), or the first one.
    std::string_view spelling(std::initializer_list<std::string_view> names) const {
        for (std::string_view name : names)
            if (has(name)) return name;
        return *names.begin();
    }

    // Present and not null.
    bool has(std::string_view key) const {
        simdjson::dom::element element;
        return !m_object.at_key(key).get(element) && !element.is_null();
    }

    std::string string(std::string_view key) const { return stringOf(key, require(key)); }
    std::string string(std::string_view key, std::string_view fallback) const {
        return has(key) ? stringOf(key, require(key)) : std::string(fallback);
    }
    bool boolean(std::string_view key, bool fallback) const {
        if (!has(key)) return fallback;
        bool value;
        if (require(key).get(value)) wrongType(key, "true or false");
        return value;
    }
    double number(std::string_view key, double fallback) const {
        if (!has(key)) return fallback;
        double value;
        if (require(key).get(value)) wrongType(key, "a number");
        return value;
    }
    // A count or size: a positive integer that fits an int.
    int positive(std::string_view key) const { return boundedInt(key, require(key), 1); }
    int positive(std::string_view key, int fallback) const {
        return has(key) ? positive(key) : fallback;
    }
    int nonNegative(std::string_view key, int fallback) const {
        return has(key) ? boundedInt(key, require(key), 0) : fallback;
    }
    // A positive integer or null; `absent` when the key is not there at all (transformers'
    // default may differ from null).
    std::optional<int> optionalPositive(std::string_view key, std::optional<int> absent) const {
        simdjson::dom::element element;
        if (m_object.at_key(key).get(element)) return absent;
        if (element.is_null()) return std::nullopt;
        return boundedInt(key, element, 1);
    }
    // An array of integers; absent or null: empty.
    std::vector<int> intList(std::string_view key) const {
        if (!has(key)) return {};
        simdjson::dom::array array;
        if (require(key).get(array)) wrongType(key, "an array of integers");
        std::vector<int> values;
        for (simdjson::dom::element item : array) {
            int64_t value;
            if (item.get(value) || value < 0 || value > INT_MAX)
                wrongType(key, "an array of non-negative integers");
            values.push_back(int(value));
        }
        return values;
    }
    JsonConfig object(std::string_view key) const {
        simdjson::dom::object nested;
        if (require(key).get(nested)) wrongType(key, "an object");
        return JsonConfig(nested, m_file, name(key) + ".");
    }

    std::string name(std::string_view key) const { return m_prefix + std::string(key); }
    // "config.json: key 'n_group'": the start of a message about a key's value.
    std::string where(std::string_view key) const {
        return fmt::format("{}: key '{}'", m_file, name(key));
    }

private:
    simdjson::dom::element require(std::string_view key) const {
        simdjson::dom::element element;
        if (m_object.at_key(key).get(element)) fail("{}: key '{}' is missing", m_file, name(key));
        return element;
    }
    [[noreturn]] void wrongType(std::string_view key, std::string_view expected) const {
        fail("{} must be {}", where(key), expected);
    }
    std::string stringOf(std::string_view key, simdjson::dom::element element) const {
        std::string_view value;
        if (element.get(value)) wrongType(key, "a string");
        return std::string(value);
    }
    int boundedInt(std::string_view key, simdjson::dom::element element, int minimum) const {
        int64_t value;
        if (element.get(value) || value < minimum || value > INT_MAX)
            wrongType(key, minimum > 0 ? "a positive integer" : "a non-negative integer");
        return int(value);
    }

    simdjson::dom::object m_object;
    std::string m_file;
    std::string m_prefix;
};

// The rotary settings: rope_parameters (transformers 5) or the older rope_theta and rope_scaling.
// Kinds Strata does not compute (dynamic NTK, LongRoPE, partial rotation) are refused by key.
void readRope(const JsonConfig& json, double defaultTheta, int contextLength,
              AttentionConfig& attention) {
    auto refusePartialRotation = [](const JsonConfig& holder) {
        if (holder.number("partial_rotary_factor", 1.0) != 1.0)
            fail("{}: rotating part of each head has no Strata equivalent (it must be 1.0)",
                 holder.where("partial_rotary_factor"));
    };
    refusePartialRotation(json);
    bool modern = json.has("rope_parameters");
    if (!modern && !json.has("rope_scaling")) {
        attention.ropeBase = json.number("rope_theta", defaultTheta);
        return;
    }
    JsonConfig rope = json.object(modern ? "rope_parameters" : "rope_scaling");
    refusePartialRotation(rope);
    attention.ropeBase = rope.number("rope_theta", json.number("rope_theta", defaultTheta));
    std::string typeKey = rope.has("rope_type") || !rope.has("type") ? "rope_type" : "type";
    std::string type = rope.string(typeKey, "default");
    RopeScaling& s = attention.ropeScaling;
    s = {};
    if (type == "default") return;
    if (type != "linear" && type != "llama3" && type != "yarn")
        fail(
            "{} is \"{}\"; Strata computes rotary embeddings \"default\", \"linear\", \"llama3\" "
            "and \"yarn\"",
            rope.where(typeKey), type);
    s.factor = rope.number("factor", 1.0);
    if (type == "linear") {
        s.kind = RopeScalingKind::Linear;
        return;
    }
    s.originalContextLength =
        rope.positive("original_max_position_embeddings",
                      json.positive("original_max_position_embeddings", contextLength));
    if (type == "llama3") {
        s.kind = RopeScalingKind::Llama3;
        s.lowFreqFactor = rope.number("low_freq_factor", 1.0);
        s.highFreqFactor = rope.number("high_freq_factor", 4.0);
        return;
    }
    s.kind = RopeScalingKind::Yarn;
    if (!rope.has("factor")) s.factor = double(contextLength) / s.originalContextLength;
    s.betaFast = rope.number("beta_fast", 32.0);
    s.betaSlow = rope.number("beta_slow", 1.0);
    s.mscale = rope.number("mscale", 0.0);
    s.mscaleAllDim = rope.number("mscale_all_dim", 0.0);
    s.attentionFactor = rope.number("attention_factor", 0.0);
    s.truncate = rope.boolean("truncate", true);
}

// Qwen's sliding window covers the layers from max_window_layers on, when use_sliding_window;
// Strata's window is one for all layers, so only a window that covers no layer is taken.
void refuseLayerWindows(const JsonConfig& json, int numLayers) {
    if (json.boolean("use_sliding_window", false) &&
        json.nonNegative("max_window_layers", 28) < numLayers)
        fail("{}: a sliding window on some layers only has no Strata equivalent",
             json.where("use_sliding_window"));
}

// The attention of the Llama-shaped families: GQA with optional biases and query/key norms.
void readGqa(const JsonConfig& json, ModelConfig& c, int defaultKvHeads,
             std::optional<int> defaultHeadDim) {
    AttentionConfig& a = c.attention;
    a.kind = AttentionKind::Gqa;
    a.numKvHeads =
        json.optionalPositive("num_key_value_heads", defaultKvHeads).value_or(a.numHeads);
    a.headDim = json.optionalPositive("head_dim", defaultHeadDim).value_or(0);
    // Strata derives 0 as d_model / num_heads; an explicit size equal to it reads the same.
    if (a.headDim == c.dModel / a.numHeads && c.dModel % a.numHeads == 0) a.headDim = 0;
}

// Every layer dense, with intermediate_size hidden units.
void readDenseFeedForward(const JsonConfig& json, ModelConfig& c) {
    if (json.boolean("mlp_bias", false))
        fail("{} is true; Strata's feed-forward blocks have no biases", json.where("mlp_bias"));
    c.numDenseLayers = c.numLayers;
    c.denseHiddenSize = json.positive("intermediate_size");
}

void readLlama(const JsonConfig& json, ModelConfig& c) {
    readGqa(json, c, c.attention.numHeads, std::nullopt);
    bool bias = json.boolean("attention_bias", false);
    c.attention.qkvBias = c.attention.outputBias = bias;
    c.contextLength = json.positive("max_position_embeddings", 2048);
    readRope(json, 10000.0, c.contextLength, c.attention);
    readDenseFeedForward(json, c);
}

void readMistral(const JsonConfig& json, ModelConfig& c) {
    readGqa(json, c, 8, std::nullopt);
    c.attention.slidingWindow = json.optionalPositive("sliding_window", 4096).value_or(0);
    c.contextLength = json.positive("max_position_embeddings", 4096 * 32);
    readRope(json, 10000.0, c.contextLength, c.attention);
    readDenseFeedForward(json, c);
}

void readQwen2(const JsonConfig& json, ModelConfig& c) {
    readGqa(json, c, 32, std::nullopt);
    c.attention.qkvBias = true;
    refuseLayerWindows(json, c.numLayers);
    c.contextLength = json.positive("max_position_embeddings", 32768);
    readRope(json, 10000.0, c.contextLength, c.attention);
    readDenseFeedForward(json, c);
}

// Qwen3 and Qwen3-MoE attention: query/key norms, biases on all four projections or none.
void readQwen3Attention(const JsonConfig& json, ModelConfig& c, std::optional<int> headDim) {
    readGqa(json, c, 32, headDim);
    c.attention.qkNorm = true;
    bool bias = json.boolean("attention_bias", false);
    c.attention.qkvBias = c.attention.outputBias = bias;
    refuseLayerWindows(json, c.numLayers);
    c.contextLength = json.positive("max_position_embeddings", 32768);
    readRope(json, 10000.0, c.contextLength, c.attention);
}

void readQwen3(const JsonConfig& json, ModelConfig& c) {
    readQwen3Attention(json, c, 128);
    readDenseFeedForward(json, c);
}

void readQwen3Moe(const JsonConfig& json, ModelConfig& c) {
    readQwen3Attention(json, c, std::nullopt);
    MoeConfig& m = c.moe;
    c.numDenseLayers = 0;
    c.denseHiddenSize = json.positive("intermediate_size", 6144);
    c.moeLayerStep = json.positive("decoder_sparse_step", 1);
    c.denseLayers = json.intList("mlp_only_layers");
    m.numRoutedExperts = json.positive(json.spelling({"num_experts", "num_local_experts"}), 128);
    m.numSharedExperts = 0;
    m.topK = json.positive("num_experts_per_tok", 8);
    m.expertHiddenSize = json.positive("moe_intermediate_size", 768);
    m.scoring = RouterScoring::Softmax;
    m.normalizeTopK = json.boolean("norm_topk_prob", false);
}

void readMixtral(const JsonConfig& json, ModelConfig& c) {
    readGqa(json, c, 8, std::nullopt);
    c.attention.slidingWindow = json.optionalPositive("sliding_window", std::nullopt).value_or(0);
    c.contextLength = json.positive("max_position_embeddings", 4096 * 32);
    readRope(json, 1e6, c.contextLength, c.attention);
    MoeConfig& m = c.moe;
    c.numDenseLayers = 0;
    m.numRoutedExperts = json.positive(json.spelling({"num_local_experts", "num_experts"}), 8);
    m.numSharedExperts = 0;
    m.topK = json.positive("num_experts_per_tok", 2);
    m.expertHiddenSize = json.positive("intermediate_size");
    m.scoring = RouterScoring::Softmax;
}

void readDeepseekV3(const JsonConfig& json, HfModelConfig& hf) {
    ModelConfig& c = hf.config;
    AttentionConfig& a = c.attention;
    MoeConfig& m = c.moe;
    a.kind = AttentionKind::Mla;
    a.numKvHeads = a.numHeads;
    a.qLoraRank = json.optionalPositive("q_lora_rank", 1536).value_or(0);
    a.kvLoraRank = json.positive("kv_lora_rank");
    a.qkNopeHeadDim = json.positive("qk_nope_head_dim");
    a.qkRopeHeadDim = json.positive("qk_rope_head_dim");
    a.vHeadDim = json.positive("v_head_dim");
    if (json.boolean("attention_bias", false))
        fail("{} is true; Strata's MLA projections have no biases", json.where("attention_bias"));
    c.contextLength = json.positive("max_position_embeddings", 4096);
    readRope(json, 10000.0, c.contextLength, a);
    c.normEps = json.number("rms_norm_eps", 1e-6);
    if (c.normEps != kDeepseekLatentNormEps)
        fail(
            "{} is {}; DeepseekV3's latent norms always use 1e-6 and Strata uses one epsilon for "
            "every norm",
            json.where("rms_norm_eps"), c.normEps);
    c.numDenseLayers = std::min(json.nonNegative("first_k_dense_replace", 3), c.numLayers);
    c.denseHiddenSize = json.positive("intermediate_size");
    m.numRoutedExperts = json.positive(json.spelling({"n_routed_experts", "num_local_experts"}));
    m.numSharedExperts = json.positive("n_shared_experts", 1);
    m.topK = json.positive("num_experts_per_tok");
    m.expertHiddenSize = json.positive("moe_intermediate_size");
    m.scoring = RouterScoring::Sigmoid;
    m.numGroups = json.positive("n_group", 8);
    m.topKGroups = json.positive("topk_group", 4);
    m.routedScaling = json.number("routed_scaling_factor", 2.5);
    m.normalizeTopK = json.boolean("norm_topk_prob", true);
    hf.ropeInterleave = json.boolean("rope_interleave", true);
    hf.numExtraLayers =
        json.nonNegative(json.spelling({"num_nextn_predict_layers", "num_mtp_layers"}), 1);
}

// Strata's own validation of the shapes (heads dividing the model, top-k within the experts).
void validateAsStrataModel(const ModelConfig& config, const std::string& file) {
    common::ConfigReader reader =
        common::ConfigReader::fromString(modelConfigText(config), file + " (as a Strata model)");
    readModelConfig(reader);
}

}  // namespace

const char* hfArchitectureName(ModelFamily family) {
    switch (family) {
        case ModelFamily::Llama:
            return "LlamaForCausalLM";
        case ModelFamily::Mistral:
            return "MistralForCausalLM";
        case ModelFamily::Qwen2:
            return "Qwen2ForCausalLM";
        case ModelFamily::Qwen3:
            return "Qwen3ForCausalLM";
        case ModelFamily::Qwen3Moe:
            return "Qwen3MoeForCausalLM";
        case ModelFamily::Mixtral:
            return "MixtralForCausalLM";
        case ModelFamily::DeepseekV3:
            return "DeepseekV3ForCausalLM";
        case ModelFamily::Strata:
            break;
    }
    return "a Strata model";
}

std::string hfFamilyName(ModelFamily family) {
    std::string name = hfArchitectureName(family);
    return name.substr(0, name.find("ForCausalLM"));
}

const char* hfModelType(ModelFamily family) {
    return kModelFamilyNames[size_t(family)];
}

namespace {

// What a config.json keeps of a model: its architecture, sizes resolved, without the keys of
// training only and without the settings of the kind of block or attention it does not have.
ModelConfig architectureOf(ModelConfig c) {
    const ModelConfig defaults;
    AttentionConfig& a = c.attention;
    MoeConfig& m = c.moe;
    c.denseHiddenSize = c.resolvedDenseHiddenSize();
    m.expertHiddenSize = c.resolvedExpertHiddenSize();
    m.auxLossCoef = defaults.moe.auxLossCoef;
    m.biasUpdateSpeed = defaults.moe.biasUpdateSpeed;
    m.capacityFactor = defaults.moe.capacityFactor;
    m.zLossCoef = defaults.moe.zLossCoef;
    if (c.numMoeLayers() == 0) {
        m = defaults.moe;
        c.numDenseLayers = c.numLayers;
        c.moeLayerStep = 1;
        c.denseLayers.clear();
    }
    if (a.kind == AttentionKind::Mla) {
        a.numKvHeads = a.numHeads;
        a.headDim = 0;
    } else {
        a.headDim = c.resolvedHeadDim();
        a.qLoraRank = defaults.attention.qLoraRank;
        a.kvLoraRank = defaults.attention.kvLoraRank;
        a.qkNopeHeadDim = defaults.attention.qkNopeHeadDim;
        a.qkRopeHeadDim = defaults.attention.qkRopeHeadDim;
        a.vHeadDim = defaults.attention.vHeadDim;
    }
    return c;
}

// An imported family holds a model when its config.json reads back the same architecture: a
// model.toml edited into something the class cannot compute (a Qwen3 without query/key norms) is
// refused, naming the first key that would change.
void checkFamilyHolds(const ModelConfig& c, std::string_view source) {
    std::string name = hfFamilyName(c.family);
    HfModelConfig back = parseHfConfig(formatHfConfigJson(c, c.family, {}, "float32"),
                                       fmt::format("{} (as {})", source, name));
    std::istringstream ours(modelConfigText(architectureOf(c)));
    std::istringstream theirs(modelConfigText(architectureOf(back.config)));
    std::string table, line, other;
    while (std::getline(ours, line) && std::getline(theirs, other)) {
        if (line.starts_with("[")) table = line.substr(1, line.size() - 2);
        if (line == other || line.starts_with("#")) continue;
        fail("{}: {}.{} has no {} equivalent ({} reads back {})", source, table, line, name, name,
             other);
    }
}

}  // namespace

ModelFamily chooseHfArchitecture(const ModelConfig& c, std::string_view source) {
    const AttentionConfig& a = c.attention;
    const MoeConfig& m = c.moe;
    bool hasMoe = c.numMoeLayers() > 0;
    if (hasMoe && m.capacityFactor > 0)
        fail(
            "{}: model.moe.capacity_factor = {} has no Hugging Face equivalent: it drops tokens "
            "an expert has no room for, which transformers never does (set it to 0 to export the "
            "model without dropping)",
            source, m.capacityFactor);
    if (c.family != ModelFamily::Strata) {
        checkFamilyHolds(c, source);
        return c.family;
    }
    bool mla = a.kind == AttentionKind::Mla;
    ModelFamily family = mla                   ? ModelFamily::DeepseekV3
                         : hasMoe              ? ModelFamily::Mixtral
                         : a.slidingWindow > 0 ? ModelFamily::Mistral
                                               : ModelFamily::Llama;
    auto refuse = [&](std::string_view key, const auto& value, std::string_view reason) {
        fail("{}: model.{} = {} has no {} equivalent: {}", source, key, value, hfFamilyName(family),
             reason);
    };
    if (mla) {
        if (a.slidingWindow > 0)
            refuse("attention.sliding_window", a.slidingWindow,
                   "DeepseekV3 attends to every earlier token");
        if (c.normEps != kDeepseekLatentNormEps)
            refuse("norm_eps", c.normEps, "DeepseekV3's latent norms always use 1e-6");
        if (hasMoe && m.scoring != RouterScoring::Sigmoid)
            refuse("moe.scoring", scoringName(m.scoring),
                   "DeepseekV3 routes with sigmoid scores (GQA models with softmax routing export "
                   "as Mixtral)");
        if (hasMoe && m.numSharedExperts == 0)
            refuse("moe.num_shared_experts", 0,
                   "DeepseekV3's MoE layers always have shared experts");
        if (hasMoe && m.numRoutedExperts < 2)
            refuse("moe.num_routed_experts", m.numRoutedExperts,
                   "DeepseekV3's router needs at least 2 experts");
        return family;
    }
    if (!hasMoe) return family;
    if (c.numDenseLayers > 0)
        refuse(
            "num_dense_layers", c.numDenseLayers,
            "every Mixtral layer is a Mixture of Experts (MLA models with dense layers export as "
            "DeepseekV3)");
    if (m.numSharedExperts > 0)
        refuse("moe.num_shared_experts", m.numSharedExperts,
               "Mixtral has no shared experts (MLA models with shared experts export as "
               "DeepseekV3)");
    if (m.scoring != RouterScoring::Softmax)
        refuse("moe.scoring", scoringName(m.scoring), "Mixtral routes with softmax scores");
    return family;
}

namespace {

std::string ropeParametersJson(const AttentionConfig& a) {
    const RopeScaling& s = a.ropeScaling;
    std::vector<std::string> fields{fmt::format("\"rope_theta\": {}", jsonFloat(a.ropeBase))};
    auto add = [&](std::string_view key, std::string value) {
        fields.push_back(fmt::format("\"{}\": {}", key, value));
    };
    switch (s.kind) {
        case RopeScalingKind::None:
            add("rope_type", "\"default\"");
            break;
        case RopeScalingKind::Linear:
            add("rope_type", "\"linear\"");
            add("factor", jsonFloat(s.factor));
            break;
        case RopeScalingKind::Llama3:
            add("rope_type", "\"llama3\"");
            add("factor", jsonFloat(s.factor));
            add("low_freq_factor", jsonFloat(s.lowFreqFactor));
            add("high_freq_factor", jsonFloat(s.highFreqFactor));
            add("original_max_position_embeddings", std::to_string(s.originalContextLength));
            break;
        case RopeScalingKind::Yarn:
            add("rope_type", "\"yarn\"");
            add("factor", jsonFloat(s.factor));
            add("original_max_position_embeddings", std::to_string(s.originalContextLength));
            add("beta_fast", jsonFloat(s.betaFast));
            add("beta_slow", jsonFloat(s.betaSlow));
            if (s.mscale > 0) add("mscale", jsonFloat(s.mscale));
            if (s.mscaleAllDim > 0) add("mscale_all_dim", jsonFloat(s.mscaleAllDim));
            if (s.attentionFactor > 0) add("attention_factor", jsonFloat(s.attentionFactor));
            add("truncate", jsonBool(s.truncate));
            break;
    }
    return fmt::format("{{{}}}", fmt::join(fields, ", "));
}

void addGqaKeys(ConfigJsonText& json, const ModelConfig& c) {
    json.add("num_key_value_heads", c.attention.numKvHeads).add("head_dim", c.resolvedHeadDim());
}

}  // namespace

std::string formatHfConfigJson(const ModelConfig& c, ModelFamily family,
                               const HfSpecialTokens& tokens, std::string_view dtype) {
    const AttentionConfig& a = c.attention;
    const MoeConfig& m = c.moe;
    ConfigJsonText json;
    json.add("architectures", fmt::format("[{}]", jsonString(hfArchitectureName(family))))
        .add("model_type", jsonString(hfModelType(family)))
        .add("vocab_size", c.vocabSize)
        .add("hidden_size", c.dModel)
        .add("num_hidden_layers", c.numLayers)
        .add("num_attention_heads", a.numHeads)
        .add("max_position_embeddings", c.contextLength)
        .add("rms_norm_eps", jsonFloat(c.normEps))
        .add("tie_word_embeddings", jsonBool(c.tiedEmbeddings))
        .add("hidden_act", jsonString("silu"))
        // Both spellings: rope_parameters for transformers 5, rope_theta for older readers.
        .add("rope_theta", jsonFloat(a.ropeBase))
        .add("rope_parameters", ropeParametersJson(a))
        .add("attention_dropout", "0.0");
    switch (family) {
        case ModelFamily::Llama:
            addGqaKeys(json, c);
            json.add("attention_bias", jsonBool(a.qkvBias))
                .add("mlp_bias", "false")
                .add("intermediate_size", c.resolvedDenseHiddenSize());
            break;
        case ModelFamily::Mistral:
            addGqaKeys(json, c);
            json.add("sliding_window",
                     a.slidingWindow > 0 ? std::to_string(a.slidingWindow) : "null")
                .add("intermediate_size", c.resolvedDenseHiddenSize());
            break;
        case ModelFamily::Qwen2:
            addGqaKeys(json, c);
            json.add("use_sliding_window", "false")
                .add("intermediate_size", c.resolvedDenseHiddenSize());
            break;
        case ModelFamily::Qwen3:
        case ModelFamily::Qwen3Moe:
            addGqaKeys(json, c);
            json.add("attention_bias", jsonBool(a.qkvBias))
                .add("use_sliding_window", "false")
                .add("intermediate_size", c.resolvedDenseHiddenSize());
            if (family == ModelFamily::Qwen3) break;
            json.add("num_experts", m.numRoutedExperts)
                .add("num_experts_per_tok", m.topK)
                .add("moe_intermediate_size", c.resolvedExpertHiddenSize())
                .add("norm_topk_prob", jsonBool(m.normalizeTopK))
                .add("decoder_sparse_step", c.moeLayerStep)
                .add("mlp_only_layers", fmt::format("[{}]", fmt::join(c.denseLayers, ", ")));
            break;
        case ModelFamily::Mixtral:
            addGqaKeys(json, c);
            json.add("sliding_window",
                     a.slidingWindow > 0 ? std::to_string(a.slidingWindow) : "null")
                .add("intermediate_size", c.resolvedExpertHiddenSize())
                .add("num_local_experts", m.numRoutedExperts)
                .add("num_experts_per_tok", m.topK)
                .add("router_jitter_noise", "0.0");
            break;
        case ModelFamily::DeepseekV3:
            json.add("num_key_value_heads", a.numHeads)
                .add("q_lora_rank", a.qLoraRank > 0 ? std::to_string(a.qLoraRank) : "null")
                .add("kv_lora_rank", a.kvLoraRank)
                .add("qk_nope_head_dim", a.qkNopeHeadDim)
                .add("qk_rope_head_dim", a.qkRopeHeadDim)
                .add("v_head_dim", a.vHeadDim)
                .add("rope_interleave", "true")
                .add("attention_bias", "false")
                .add("first_k_dense_replace", c.numDenseLayers)
                .add("intermediate_size", c.resolvedDenseHiddenSize())
                .add("moe_intermediate_size", c.resolvedExpertHiddenSize())
                .add("n_routed_experts", m.numRoutedExperts)
                .add("n_shared_experts", m.numSharedExperts)
                .add("num_experts_per_tok", m.topK)
                .add("n_group", m.numGroups)
                .add("topk_group", m.topKGroups)
                .add("routed_scaling_factor", jsonFloat(m.routedScaling))
                .add("norm_topk_prob", jsonBool(m.normalizeTopK))
                // Read by other DeepSeek implementations (vLLM); transformers implies them.
                .add("scoring_func", jsonString("sigmoid"))
                .add("topk_method", jsonString("noaux_tc"))
                .add("num_nextn_predict_layers", 0);
            break;
        case ModelFamily::Strata:
            fail("formatHfConfigJson: a Strata model needs chooseHfArchitecture's family");
    }
    json.add("bos_token_id", jsonTokenId(tokens.bos))
        .add("eos_token_id", jsonTokenId(tokens.eos))
        .add("pad_token_id", jsonTokenId(tokens.pad))
        .add("dtype", jsonString(dtype))
        .add("use_cache", "true");
    return json.text();
}

HfModelConfig parseHfConfig(std::string_view text, const std::string& file) {
    simdjson::dom::parser parser;
    JsonConfig json(common::parseJsonObject(parser, text, file), file);

    HfModelConfig hf;
    ModelConfig& c = hf.config;
    std::string modelType = json.string("model_type");
    auto family = std::find_if(std::begin(kModelFamilyNames) + 1, std::end(kModelFamilyNames),
                               [&](const char* name) { return modelType == name; });
    if (family == std::end(kModelFamilyNames))
        fail("{} is \"{}\"; Strata imports {}", json.where("model_type"), modelType,
             fmt::join(std::begin(kModelFamilyNames) + 1, std::end(kModelFamilyNames), ", "));
    c.family = ModelFamily(family - std::begin(kModelFamilyNames));
    if (json.has("quantization_config"))
        fail("{}: quantized weights cannot be imported (dequantize them first)",
             json.where("quantization_config"));
    std::string activation = json.string("hidden_act", "silu");
    if (activation != "silu")
        fail("{} is \"{}\"; Strata's feed-forward blocks are SwiGLU (\"silu\")",
             json.where("hidden_act"), activation);

    c.vocabSize = json.positive("vocab_size");
    c.dModel = json.positive("hidden_size");
    c.numLayers = json.positive("num_hidden_layers");
    c.tiedEmbeddings = json.boolean("tie_word_embeddings", false);
    c.normEps = json.number("rms_norm_eps", c.family == ModelFamily::Mixtral ? 1e-5 : 1e-6);
    c.attention.numHeads = json.positive("num_attention_heads");
    c.moe = {};
    switch (c.family) {
        case ModelFamily::Llama:
            readLlama(json, c);
            break;
        case ModelFamily::Mistral:
            readMistral(json, c);
            break;
        case ModelFamily::Qwen2:
            readQwen2(json, c);
            break;
        case ModelFamily::Qwen3:
            readQwen3(json, c);
            break;
        case ModelFamily::Qwen3Moe:
            readQwen3Moe(json, c);
            break;
        case ModelFamily::Mixtral:
            readMixtral(json, c);
            break;
        case ModelFamily::DeepseekV3:
            readDeepseekV3(json, hf);
            break;
        case ModelFamily::Strata:
            break;
    }
    validateAsStrataModel(c, file);
    return hf;
}

HfModelConfig readHfConfig(const fs::path& path) {
    std::string file = path.string();
    if (!fs::is_regular_file(path))
        fail("{}: no such file (a Hugging Face model folder has a config.json)", file);
    simdjson::padded_string text;
    if (simdjson::padded_string::load(file).get(text)) fail("{}: cannot read the file", file);
    return parseHfConfig(std::string_view(text.data(), text.size()), file);
}

}  // namespace strata::model_spec
