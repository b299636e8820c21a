// Hugging Face model folders on disk, both ways. An export of a Strata model folder holds
//   config.json            the architecture as transformers reads it (hf_config.h)
//   model.safetensors      the tensors under their Hugging Face names (hf_tensors.h)
//   tokenizer.json         the model's tokenizer, as it is
//   tokenizer_config.json  the special tokens, so AutoTokenizer loads the folder too; an imported
//                          model's own, with chat_template.jinja and generation_config.json when
//                          it came with them
// and an import reads such a folder (model.safetensors, or the shards that
// model.safetensors.index.json lists) into a Strata model folder (model_folder.h). Both write to a
// staging folder renamed into place when complete (common::AtomicFolder), and neither replaces an
// existing folder that is not of the kind it writes.
#pragma once

#include "core/model_spec/hf_config.h"
#include "core/tokenizer/tokenizer.h"

#include <torch/types.h>

#include <filesystem>
#include <map>
#include <string>

namespace strata::model {

inline constexpr const char* kHfConfigFile = "config.json";
inline constexpr const char* kHfWeightsFile = "model.safetensors";
inline constexpr const char* kHfWeightsIndexFile = "model.safetensors.index.json";

// The special tokens transformers and llama.cpp have roles for: those tokenizer_config.json names
// (an imported model's), else those of Strata's tokenizer trainer (<|bos|>, <|eos|>, <|pad|>).
model_spec::HfSpecialTokens specialTokensOf(const tokenizer::Tokenizer& tokenizer);

// Writes the model folder `modelFolder` as `hfFolder`; returns the class it was written as.
// Anything the class cannot express exactly is a common::Error naming the key or tensor.
model_spec::ModelFamily exportHfFolder(const std::filesystem::path& modelFolder,
                                       const std::filesystem::path& hfFolder,
                                       const model_spec::HfSpecialTokens& tokens);

// Writes the Hugging Face folder `hfFolder` as the model folder `modelFolder`; returns what its
// config.json says. The weights are stored as float32, whatever their type in `hfFolder`.
model_spec::HfModelConfig importHfFolder(const std::filesystem::path& hfFolder,
                                         const std::filesystem::path& modelFolder);

// Every tensor of the folder's model.safetensors, or of the shards its index lists (each tensor
// in the shard the index names), as read-only views of the files (mapSafetensors). Errors name
// the file.
std::map<std::string, torch::Tensor> loadHfTensors(const std::filesystem::path& hfFolder);

}  // namespace strata::model
