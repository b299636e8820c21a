// A GGUF's model metadata as the architecture Strata computes: llama.cpp's keys
// (llama.block_count, qwen3moe.expert_count, ...) are written out as the config.json transformers
// would hold for the model and read through model_spec::parseHfConfig, so a GGUF model and a
// Hugging Face folder of it become the same ModelConfig, with the same checks. The architectures
// read are llama (Mixtral when it has experts), qwen2, qwen3, qwen3moe and deepseek2 (DeepSeek-V3's
// form); any other is an error naming it.
#pragma once

#include "core/gguf/gguf_file.h"
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

}  // namespace strata::gguf
