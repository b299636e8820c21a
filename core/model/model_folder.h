// A model on disk, as training checkpoints, imported models and `strata-cli generate` share it:
//   model.toml          the [model] table (modelConfigText)
//   model.safetensors   every parameter and learned buffer by its module path
//   tokenizer.json      the tokenizer the model was trained with
//   tokenizer_config.json, chat_template.jinja, generation_config.json
//                       optional: what came with an imported model's tokenizer (its special
//                       tokens, chat template and sampling defaults); they travel with it
//   lora.safetensors    optional: LoRA adapters, merged into the weights on load (lora.h)
// Training checkpoints add the trainer's state beside these files (core/train/checkpoint.h).
#pragma once

#include "core/model/safetensors.h"
#include "core/model/transformer.h"

#include <filesystem>
#include <map>
#include <string>

namespace strata::model {

inline constexpr const char* kModelConfigFile = "model.toml";
inline constexpr const char* kModelWeightsFile = "model.safetensors";
inline constexpr const char* kTokenizerFile = "tokenizer.json";
inline constexpr const char* kTokenizerConfigFile = "tokenizer_config.json";
inline constexpr const char* kChatTemplateFile = "chat_template.jinja";
inline constexpr const char* kGenerationConfigFile = "generation_config.json";
inline constexpr const char* kTokenizerCompanionFiles[] = {kTokenizerConfigFile, kChatTemplateFile,
                                                           kGenerationConfigFile};

// Parameters, then the buffers training changes (the routers' balancing bias); the rotary tables
// are left out because the config determines them. CPU, contiguous copies.
NamedTensors modelState(Transformer& model);

// Copies `tensors` into the model; every name of modelState() must be there with its exact shape
// and nothing else. Errors name `source` (the file) and the tensor.
void loadModelState(Transformer& model, const std::map<std::string, torch::Tensor>& tensors,
                    const std::string& source);

// An output folder may replace an earlier output of the same kind (one holding `marker`), never
// anything else: a typo in -o must not delete a folder of other files. Throws common::Error naming
// `target` when it is `input` or a non-empty folder of another kind.
void checkReplaceableFolder(const std::filesystem::path& target, const std::filesystem::path& input,
                            const char* marker, const char* kind);

// The companion files present in `fromFolder`, copied into `toFolder`.
void copyTokenizerCompanions(const std::filesystem::path& fromFolder,
                             const std::filesystem::path& toFolder);

// Writes the three files into `folder` (an AtomicFolder's staging folder, usually), and the
// companions found beside `tokenizerJson`.
void writeModelFiles(const std::filesystem::path& folder, const model_spec::ModelConfig& config,
                     Transformer& model, const std::filesystem::path& tokenizerJson);
// The same with the weights as named tensors (modelState()'s names), in whatever floating dtype
// they have: an import writes the file's own bfloat16 or float16 tensors without an fp32 model.
void writeModelFiles(const std::filesystem::path& folder, const model_spec::ModelConfig& config,
                     const NamedTensors& weights, const std::filesystem::path& tokenizerJson);
// model.toml and model.safetensors only, for a writer that makes the tokenizer files itself.
void writeModelWeights(const std::filesystem::path& folder, const model_spec::ModelConfig& config,
                       const NamedTensors& weights);

struct LoadedModel {
    model_spec::ModelConfig config;
    Transformer model{nullptr};  // on the CPU
    std::filesystem::path tokenizerPath;
};

// The folder's model.toml, without touching the weights.
model_spec::ModelConfig readModelFolderConfig(const std::filesystem::path& folder);

// Reads a model folder back; a missing file, a config error or a tensor that does not fit is a
// common::Error naming the file. The model is float32 whatever the file's dtype: the file is
// memory-mapped and each tensor converted into its parameter, so no second full copy of the
// weights exists while loading.
LoadedModel loadModelFolder(const std::filesystem::path& folder);

}  // namespace strata::model
