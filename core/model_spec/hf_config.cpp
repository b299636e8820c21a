#include "core/model_spec/hf_config.h"

#include "core/common/config_reader.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <climits>
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

// rope_parameters (transformers 5) or the older rope_theta and rope_scaling keys; only plain
// rotary embeddings, no scaling.
double readRopeTheta(const JsonConfig& json, double fallback) {
    if (json.has("rope_scaling"))
        fail("{}: scaled rotary embeddings have no Strata equivalent (it must be null)",
             json.where("rope_scaling"));
    if (json.has("rope_parameters")) {
        JsonConfig rope = json.object("rope_parameters");
        std::string type = rope.string("rope_type", "default");
        if (type != "default")
            fail("{} is \"{}\"; Strata's rotary embeddings are unscaled (\"default\")",
                 rope.where("rope_type"), type);
        return rope.number("rope_theta", json.number("rope_theta", fallback));
    }
    return json.number("rope_theta", fallback);
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
    a.ropeBase = readRopeTheta(json, 10000.0);
    if (json.boolean("attention_bias", false))
        fail("{} is true; Strata's projections have no biases", json.where("attention_bias"));
    c.contextLength = json.positive("max_position_embeddings", 4096);
    c.normEps = json.number("rms_norm_eps", 1e-6);
    if (c.normEps != kDeepseekLatentNormEps)
        fail(
            "{} is {}; DeepseekV3's latent norms always use 1e-6 and Strata uses one epsilon for "
            "every norm",
            json.where("rms_norm_eps"), c.normEps);
    c.numDenseLayers = std::min(json.nonNegative("first_k_dense_replace", 3), c.numLayers);
    c.denseHiddenSize = json.positive("intermediate_size");
    m.numRoutedExperts = json.positive("n_routed_experts");
    m.numSharedExperts = json.positive("n_shared_experts", 1);
    m.topK = json.positive("num_experts_per_tok");
    m.expertHiddenSize = json.positive("moe_intermediate_size");
    m.scoring = RouterScoring::Sigmoid;
    hf.ropeInterleave = json.boolean("rope_interleave", true);
    hf.numExtraLayers = json.nonNegative("num_nextn_predict_layers", 1);

    if (c.numDenseLayers == c.numLayers) return;  // no router: its settings do not matter
    int groups = json.positive("n_group", 8), keptGroups = json.positive("topk_group", 4);
    if (keptGroups != groups)
        fail(
            "{}: keeping {} of {} expert groups has no Strata equivalent (Strata's routers choose "
            "among all experts: topk_group must equal n_group)",
            json.where("topk_group"), keptGroups, groups);
    double scaling = json.number("routed_scaling_factor", 2.5);
    if (scaling != 1.0)
        fail("{} is {}; Strata's routed expert weights sum to 1 (it must be 1.0)",
             json.where("routed_scaling_factor"), scaling);
    if (!json.boolean("norm_topk_prob", true))
        fail("{} is false; Strata always normalizes the top-k weights to sum to 1",
             json.where("norm_topk_prob"));
}

void readMixtral(const JsonConfig& json, HfModelConfig& hf) {
    ModelConfig& c = hf.config;
    AttentionConfig& a = c.attention;
    MoeConfig& m = c.moe;
    a.kind = AttentionKind::Gqa;
    a.numKvHeads = json.positive("num_key_value_heads");
    a.headDim = json.optionalPositive("head_dim", std::nullopt).value_or(0);
    a.ropeBase = readRopeTheta(json, 1e6);
    a.slidingWindow = json.optionalPositive("sliding_window", std::nullopt).value_or(0);
    c.contextLength = json.positive("max_position_embeddings", 131072);
    c.normEps = json.number("rms_norm_eps", 1e-5);
    c.numDenseLayers = 0;
    m.numRoutedExperts = json.positive("num_local_experts");
    m.numSharedExperts = 0;
    m.topK = json.positive("num_experts_per_tok");
    m.expertHiddenSize = json.positive("intermediate_size");
    m.scoring = RouterScoring::Softmax;
}

// Strata's own validation of the shapes (heads dividing the model, top-k within the experts).
void validateAsStrataModel(const ModelConfig& config, const std::string& file) {
    common::ConfigReader reader =
        common::ConfigReader::fromString(modelConfigText(config), file + " (as a Strata model)");
    readModelConfig(reader);
}

}  // namespace

const char* hfArchitectureName(HfArchitecture architecture) {
    return architecture == HfArchitecture::DeepseekV3 ? "DeepseekV3ForCausalLM"
                                                      : "MixtralForCausalLM";
}

HfArchitecture chooseHfArchitecture(const ModelConfig& c, std::string_view source) {
    const AttentionConfig& a = c.attention;
    const MoeConfig& m = c.moe;
    bool mla = a.kind == AttentionKind::Mla;
    const char* name = mla ? "DeepseekV3" : "Mixtral";
    auto refuse = [&](std::string_view key, const auto& value, std::string_view reason) {
        fail("{}: model.{} = {} has no {} equivalent: {}", source, key, value, name, reason);
    };
    bool hasMoe = c.numDenseLayers < c.numLayers;
    if (hasMoe && m.capacityFactor > 0)
        refuse("moe.capacity_factor", m.capacityFactor,
               "it drops tokens an expert has no room for, which transformers never does (set it "
               "to 0 to export the model without dropping)");
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
        return HfArchitecture::DeepseekV3;
    }
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
    return HfArchitecture::Mixtral;
}

std::string formatHfConfigJson(const ModelConfig& c, HfArchitecture architecture,
                               const HfSpecialTokens& tokens, std::string_view dtype) {
    const AttentionConfig& a = c.attention;
    const MoeConfig& m = c.moe;
    bool deepseek = architecture == HfArchitecture::DeepseekV3;
    ConfigJsonText json;
    json.add("architectures", fmt::format("[{}]", jsonString(hfArchitectureName(architecture))))
        .add("model_type", jsonString(deepseek ? "deepseek_v3" : "mixtral"))
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
        .add("rope_parameters", fmt::format("{{\"rope_type\": \"default\", \"rope_theta\": {}}}",
                                            jsonFloat(a.ropeBase)))
        .add("attention_dropout", "0.0")
        .add("num_experts_per_tok", m.topK);
    if (deepseek) {
        // One group kept out of one, a scaling of 1 and normalized top-k weights: DeepseekV3's
        // routing reduced to Strata's (sigmoid scores, bias steering the choice only).
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
            .add("n_group", 1)
            .add("topk_group", 1)
            .add("routed_scaling_factor", "1.0")
            .add("norm_topk_prob", "true")
            // Read by other DeepSeek implementations (vLLM); transformers implies them.
            .add("scoring_func", jsonString("sigmoid"))
            .add("topk_method", jsonString("noaux_tc"))
            .add("num_nextn_predict_layers", 0);
    } else {
        json.add("num_key_value_heads", a.numKvHeads)
            .add("head_dim", c.resolvedHeadDim())
            .add("sliding_window", a.slidingWindow > 0 ? std::to_string(a.slidingWindow) : "null")
            .add("intermediate_size", c.resolvedExpertHiddenSize())
            .add("num_local_experts", m.numRoutedExperts)
            .add("router_jitter_noise", "0.0");
    }
    json.add("bos_token_id", jsonTokenId(tokens.bos))
        .add("eos_token_id", jsonTokenId(tokens.eos))
        .add("pad_token_id", jsonTokenId(tokens.pad))
        .add("dtype", jsonString(dtype))
        .add("use_cache", "true");
    return json.text();
}

HfModelConfig readHfConfig(const fs::path& path) {
    std::string file = path.string();
    if (!fs::is_regular_file(path))
        fail("{}: no such file (a Hugging Face model folder has a config.json)", file);
    simdjson::padded_string text;
    if (simdjson::padded_string::load(file).get(text)) fail("{}: cannot read the file", file);
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (auto error = parser.parse(text).get(root))
        fail("{}: not valid JSON ({})", file, simdjson::error_message(error));
    simdjson::dom::object object;
    if (root.get(object)) fail("{}: not a JSON object", file);
    JsonConfig json(object, file);

    HfModelConfig hf;
    std::string modelType = json.string("model_type");
    if (modelType == "deepseek_v3")
        hf.architecture = HfArchitecture::DeepseekV3;
    else if (modelType == "mixtral")
        hf.architecture = HfArchitecture::Mixtral;
    else
        fail("{} is \"{}\"; Strata imports \"deepseek_v3\" and \"mixtral\"",
             json.where("model_type"), modelType);
    if (json.has("quantization_config"))
        fail("{}: quantized weights cannot be imported (dequantize them first)",
             json.where("quantization_config"));
    std::string activation = json.string("hidden_act", "silu");
    if (activation != "silu")
        fail("{} is \"{}\"; Strata's feed-forward blocks are SwiGLU (\"silu\")",
             json.where("hidden_act"), activation);

    ModelConfig& c = hf.config;
    c.vocabSize = json.positive("vocab_size");
    c.dModel = json.positive("hidden_size");
    c.numLayers = json.positive("num_hidden_layers");
    c.tiedEmbeddings = json.boolean("tie_word_embeddings", false);
    c.attention.numHeads = json.positive("num_attention_heads");
    if (hf.architecture == HfArchitecture::DeepseekV3)
        readDeepseekV3(json, hf);
    else
        readMixtral(json, hf);
    validateAsStrataModel(c, file);
    return hf;
}

}  // namespace strata::model_spec
