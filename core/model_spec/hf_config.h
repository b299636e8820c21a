// A Strata model's architecture in Hugging Face terms: which transformers class holds it exactly
// (DeepseekV3ForCausalLM for MLA with shared experts and sigmoid routing, MixtralForCausalLM for
// GQA with softmax top-k and no shared experts), the config.json that says so, and reading such a
// config.json back into a ModelConfig. An export never approximates: a setting the chosen class
// cannot express is an error naming the key and the reason, and so is an imported setting Strata
// cannot express. The tensor names are hf_tensors.h's business, the folders hf_folder.h's.
#pragma once

#include "core/model_spec/model_config.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace strata::model_spec {

enum class HfArchitecture { DeepseekV3, Mixtral };

// "DeepseekV3ForCausalLM" or "MixtralForCausalLM".
const char* hfArchitectureName(HfArchitecture architecture);

// The class that holds `config` exactly. Throws common::Error naming `source` (the model.toml)
// and the first model.* key no class can take, with the reason.
HfArchitecture chooseHfArchitecture(const ModelConfig& config, std::string_view source);

// The special tokens config.json and tokenizer_config.json name (generation stops at eos).
struct HfSpecialToken {
    int64_t id = 0;
    std::string content;
};
struct HfSpecialTokens {
    std::optional<HfSpecialToken> bos, eos, pad;
};

// config.json for `config` as `architecture` (chooseHfArchitecture's answer), with tensors of
// `dtype` ("float32", "bfloat16"). DeepseekV3 is written with rope_interleave true, the layout
// DeepSeek's own checkpoints use.
std::string formatHfConfigJson(const ModelConfig& config, HfArchitecture architecture,
                               const HfSpecialTokens& tokens, std::string_view dtype);

// What an imported config.json says, as far as Strata can hold it.
struct HfModelConfig {
    HfArchitecture architecture = HfArchitecture::Mixtral;
    ModelConfig config;  // the keys of training only (losses, bias speed) keep Strata's defaults
    bool ropeInterleave = false;  // DeepseekV3: rotary rows stored in interleaved pairs
    int numExtraLayers = 0;       // DeepseekV3: multi-token-prediction layers, not imported
};

// Reads config.json. Size keys are required; behaviour keys absent from the file take the
// defaults transformers gives them. A missing file, bad JSON, a key of the wrong type or a setting
// Strata cannot express is a common::Error naming the file and the key.
HfModelConfig readHfConfig(const std::filesystem::path& configJson);

}  // namespace strata::model_spec
