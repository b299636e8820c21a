// A model's architecture in Hugging Face terms: which transformers class holds it exactly (the
// family it was imported as; for a model designed in Strata DeepseekV3ForCausalLM for MLA,
// MixtralForCausalLM for GQA with MoE, MistralForCausalLM or LlamaForCausalLM for dense GQA with
// or without a window), the config.json that says so, and reading the config.json of the Llama,
// Mistral, Qwen2, Qwen3, Qwen3-MoE, Mixtral and DeepSeek-V3 families into a ModelConfig. Both
// forms of the rotary settings are read: rope_parameters (transformers 5) and rope_theta with
// rope_scaling (4.x). Nothing is approximated: a setting the class cannot express is an error
// naming the key and the reason, and so is an imported setting Strata cannot compute. The tensor
// names are hf_tensors.h's business, the folders hf_folder.h's.
#pragma once

#include "core/model_spec/model_config.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace strata::model_spec {

// "LlamaForCausalLM", "DeepseekV3ForCausalLM", ...
const char* hfArchitectureName(ModelFamily family);
// The class name without "ForCausalLM", for messages: "Llama", "DeepseekV3", ...
std::string hfFamilyName(ModelFamily family);
// config.json's model_type: "llama", "deepseek_v3", ...
const char* hfModelType(ModelFamily family);

// The family whose class holds `config` exactly: its own family when it was imported. Throws
// common::Error naming `source` (the model.toml) and the first model.* key no class can take,
// with the reason.
ModelFamily chooseHfArchitecture(const ModelConfig& config, std::string_view source);

// The special tokens config.json and tokenizer_config.json name (generation stops at eos).
struct HfSpecialToken {
    int64_t id = 0;
    std::string content;
};
struct HfSpecialTokens {
    std::optional<HfSpecialToken> bos, eos, pad;
};

// config.json for `config` as `family` (chooseHfArchitecture's answer), with tensors of
// `dtype` ("float32", "bfloat16"). DeepseekV3 is written with rope_interleave true, the layout
// DeepSeek's own checkpoints use.
std::string formatHfConfigJson(const ModelConfig& config, ModelFamily family,
                               const HfSpecialTokens& tokens, std::string_view dtype);

// What an imported config.json says, as far as Strata can hold it.
struct HfModelConfig {
    // config.family is the architecture; the keys of training only (losses, bias speed) keep
    // Strata's defaults.
    ModelConfig config;
    bool ropeInterleave = false;  // DeepseekV3: rotary rows stored in interleaved pairs
    int numExtraLayers = 0;       // DeepseekV3: multi-token-prediction layers, not imported
};

// Reads config.json. Size keys are required; behaviour keys absent from the file take the
// defaults transformers gives them. A missing file, bad JSON, a key of the wrong type or a setting
// Strata cannot express is a common::Error naming the file and the key.
HfModelConfig readHfConfig(const std::filesystem::path& configJson);
// The same for the text of a config.json; `file` names it in errors.
HfModelConfig parseHfConfig(std::string_view text, const std::string& file);

}  // namespace strata::model_spec
