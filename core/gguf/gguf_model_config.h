// A GGUF's model metadata as the architecture Strata computes: llama.cpp's keys
// (llama.block_count, qwen3moe.expert_count, ...) are written out as the config.json transformers
// would hold for the model and read through model_spec::parseHfConfig, so a GGUF model and a
// Hugging Face folder of it become the same ModelConfig, with the same checks. The architectures
// read are llama (Mixtral when it has experts), qwen2, qwen3, qwen3moe and deepseek2 (DeepSeek-V3's
// form); any other is an error naming it.
#pragma once

#include "core/gguf/gguf_file.h"
#include "core/gguf/gguf_writer.h"
#include "core/model_spec/hf_config.h"

#include <string>

namespace strata::gguf {

struct GgufModelConfig {
    std::string architecture;  // general.architecture
    model_spec::HfModelConfig hf;
    // llama.cpp's converter reorders the rows of Llama's and Mixtral's query and key projections
    // for its rotary layout (the halves of each head interleaved); the importer undoes it.
    bool rotaryRowsInterleaved = false;
};

GgufModelConfig readGgufModelConfig(const GgufFile& file);

// The config.json text of readGgufModelConfig (for tests and messages).
std::string ggufConfigJson(const GgufFile& file);

// The other way: `config`, held by `family` (chooseHfArchitecture's answer), as llama.cpp's
// metadata keys; returns the architecture written ("llama", "qwen3moe", ...). What llama.cpp's
// architecture cannot run as the model computes (a sliding window, Llama 3's rotary scaling,
// Qwen3-MoE's dense layers or unnormalized top-k, DeepSeek-V3 routing without sigmoid scores) is
// a common::Error naming `source` and the setting.
std::string addGgufModelMetadata(GgufWriter& writer, const model_spec::ModelConfig& config,
                                 model_spec::ModelFamily family, const std::string& source);

}  // namespace strata::gguf
