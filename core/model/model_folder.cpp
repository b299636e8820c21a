#include "core/model/model_folder.h"

#include "core/common/atomic_file.h"
#include "core/common/config_reader.h"
#include "core/common/error.h"
#include "core/model/lora.h"

#include <fmt/format.h>
#include <torch/torch.h>

namespace strata::model {

namespace fs = std::filesystem;
using common::fail;

namespace {

bool isDerivedBuffer(const std::string& name) {
    return name.find("rope.") != std::string::npos;
}

std::string shapeText(const torch::Tensor& tensor) {
    return fmt::format("[{}]", fmt::join(tensor.sizes(), ", "));
}

}  // namespace

NamedTensors modelState(Transformer& model) {
    NamedTensors state;
    for (const auto& item : model->named_parameters())
        state.emplace_back(item.key(), item.value().detach().to(torch::kCPU).contiguous());
    for (const auto& item : model->named_buffers())
        if (!isDerivedBuffer(item.key()))
            state.emplace_back(item.key(), item.value().detach().to(torch::kCPU).contiguous());
    return state;
}

void loadModelState(Transformer& model, const std::map<std::string, torch::Tensor>& tensors,
                    const std::string& source) {
    torch::NoGradGuard noGrad;
    size_t expected = 0;
    auto copyInto = [&](const std::string& name, torch::Tensor& target) {
        ++expected;
        auto found = tensors.find(name);
        if (found == tensors.end()) fail("{}: tensor '{}' is missing", source, name);
        if (found->second.sizes() != target.sizes())
            fail("{}: tensor '{}' has shape {}, the model needs {}", source, name,
                 shapeText(found->second), shapeText(target));
        target.copy_(found->second);
    };
    for (auto& item : model->named_parameters())
        copyInto(item.key(), item.value());
    for (auto& item : model->named_buffers())
        if (!isDerivedBuffer(item.key())) copyInto(item.key(), item.value());
    if (tensors.size() != expected) {
        for (const auto& [name, tensor] : tensors) {
            bool known =
                model->named_parameters().contains(name) || model->named_buffers().contains(name);
            if (!known) fail("{}: tensor '{}' is not part of this model", source, name);
        }
    }
}

void checkReplaceableFolder(const fs::path& target, const fs::path& input, const char* marker,
                            const char* kind) {
    std::error_code error;
    if (!fs::exists(target, error)) return;
    if (fs::equivalent(target, input, error))
        fail("{}: the output folder must differ from the input", target.string());
    if (fs::is_directory(target, error) && !fs::is_empty(target, error) &&
        !fs::exists(target / marker, error))
        fail("{}: exists and is not a {} folder (it has no {}); choose a new or empty folder",
             target.string(), kind, marker);
}

void copyTokenizerCompanions(const fs::path& fromFolder, const fs::path& toFolder) {
    for (const char* name : kTokenizerCompanionFiles) {
        if (!fs::exists(fromFolder / name)) continue;
        std::error_code error;
        fs::copy_file(fromFolder / name, toFolder / name, fs::copy_options::overwrite_existing,
                      error);
        if (error)
            fail("{}: cannot copy to {}: {}", (fromFolder / name).string(), toFolder.string(),
                 error.message());
    }
}

void writeModelFiles(const fs::path& folder, const model_spec::ModelConfig& config,
                     Transformer& model, const fs::path& tokenizerJson) {
    writeModelFiles(folder, config, modelState(model), tokenizerJson);
}

void writeModelWeights(const fs::path& folder, const model_spec::ModelConfig& config,
                       const NamedTensors& weights) {
    common::AtomicFile configFile(folder / kModelConfigFile);
    configFile.write(model_spec::modelConfigText(config));
    configFile.commit();
    saveSafetensors(folder / kModelWeightsFile, weights, {{"format", "pt"}});
}

void writeModelFiles(const fs::path& folder, const model_spec::ModelConfig& config,
                     const NamedTensors& weights, const fs::path& tokenizerJson) {
    writeModelWeights(folder, config, weights);
    std::error_code error;
    fs::copy_file(tokenizerJson, folder / kTokenizerFile, fs::copy_options::overwrite_existing,
                  error);
    if (error) fail("{}: cannot copy the tokenizer: {}", tokenizerJson.string(), error.message());
    copyTokenizerCompanions(tokenizerJson.parent_path(), folder);
}

model_spec::ModelConfig readModelFolderConfig(const fs::path& folder) {
    common::ConfigReader reader = common::ConfigReader::fromFile(folder / kModelConfigFile);
    model_spec::ModelConfig config = model_spec::readModelConfig(reader);
    reader.finish();
    return config;
}

LoadedModel loadModelFolder(const fs::path& folder) {
    if (!fs::is_directory(folder)) fail("{}: no such model folder", folder.string());
    for (const char* name : {kModelConfigFile, kModelWeightsFile, kTokenizerFile})
        if (!fs::exists(folder / name))
            fail("{}: not a model folder ({} is missing)", folder.string(), name);
    LoadedModel loaded;
    loaded.config = readModelFolderConfig(folder);
    loaded.model = Transformer(loaded.config);
    SafetensorsContent weights = mapSafetensors(folder / kModelWeightsFile);
    loadModelState(loaded.model, weights.tensors, (folder / kModelWeightsFile).string());
    if (fs::exists(folder / kLoraFile)) mergeLora(loaded.model, folder / kLoraFile);
    loaded.tokenizerPath = folder / kTokenizerFile;
    return loaded;
}

}  // namespace strata::model
