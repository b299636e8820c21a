#include "core/train/checkpoint.h"

#include "core/common/atomic_file.h"
#include "core/common/atomic_folder.h"
#include "core/common/config_reader.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/model/model_folder.h"
#include "core/model/safetensors.h"

#include <ATen/Context.h>
#include <fmt/format.h>
#include <simdjson.h>
#include <torch/cuda.h>

#include <algorithm>
#include <sstream>

namespace strata::train {

namespace fs = std::filesystem;
using common::fail;

namespace {

constexpr const char* kOptimizerFile = "optimizer.safetensors";
constexpr const char* kTrainerStateFile = "trainer_state.json";
constexpr const char* kRunConfigFile = "run.toml";
constexpr const char* kPrecisionFile = "precision.safetensors";
constexpr std::string_view kFolderPrefix = "step-";

// The step of a checkpoint folder name ("step-0000100"), or -1 for anything else (staging
// folders included).
int64_t folderStep(const fs::path& folder) {
    std::string name = folder.filename().string();
    if (name.size() != kFolderPrefix.size() + 7 || name.rfind(kFolderPrefix, 0) != 0) return -1;
    if (name.find_first_not_of("0123456789", kFolderPrefix.size()) != std::string::npos) return -1;
    return std::stoll(name.substr(kFolderPrefix.size()));
}

std::vector<std::pair<int64_t, fs::path>> checkpointsByStep(const fs::path& runDir) {
    std::vector<std::pair<int64_t, fs::path>> found;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(runDir / "checkpoints", error)) {
        int64_t step = folderStep(entry.path());
        if (step >= 0 && entry.is_directory()) found.emplace_back(step, entry.path());
    }
    std::sort(found.begin(), found.end());
    return found;
}

// Every trained parameter by the name its optimizer state is saved under.
std::vector<std::pair<std::string, torch::Tensor>> trainedParameters(
    model::Transformer& model, const std::vector<ExtraModule>& extras) {
    std::vector<std::pair<std::string, torch::Tensor>> parameters;
    for (const auto& item : model->named_parameters())
        parameters.emplace_back(item.key(), item.value());
    for (const ExtraModule& extra : extras)
        for (const auto& item : extra.module->named_parameters())
            parameters.emplace_back(extra.name + "." + item.key(), item.value());
    return parameters;
}

std::string extraFile(const ExtraModule& extra) {
    return extra.name + ".safetensors";
}

// What NAME.safetensors holds: the module's parameters, then its buffers (a reward head's
// normalization statistics).
std::vector<std::pair<std::string, torch::Tensor>> extraTensors(const ExtraModule& extra) {
    std::vector<std::pair<std::string, torch::Tensor>> tensors;
    for (const auto& item : extra.module->named_parameters())
        tensors.emplace_back(item.key(), item.value());
    for (const auto& item : extra.module->named_buffers())
        tensors.emplace_back(item.key(), item.value());
    return tensors;
}

std::vector<torch::Device> rngDevices() {
    std::vector<torch::Device> devices{torch::kCPU};
    for (int index = 0; index < int(torch::cuda::device_count()); ++index)
        devices.emplace_back(torch::kCUDA, index);
    return devices;
}

std::string rngName(const torch::Device& device) {
    return "rng." + device.str();
}

void writeTrainerState(const fs::path& path, const TrainerState& state) {
    common::JsonWriter json;
    json.beginObject()
        .field("format", "strata-trainer-state")
        .field("version", 1)
        .field("step", state.step)
        .field("tokens", state.tokens)
        .field("val_loss", state.valLoss)
        .field("best_val_loss", state.bestValLoss)
        .field("tokenizer_fingerprint", state.tokenizerFingerprint)
        .endObject();
    common::AtomicFile file(path);
    file.write(json.str());
    file.write("\n");
    file.commit();
}

TrainerState readTrainerState(const fs::path& path) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.load(path.string()).get(root)) fail("{}: not valid JSON", path.string());
    TrainerState state;
    std::string_view format, fingerprint;
    auto field = [&](const char* key, auto& value) {
        if (root[key].get(value))
            fail("{}: key '{}' is missing or has the wrong type", path.string(), key);
    };
    field("format", format);
    if (format != "strata-trainer-state") fail("{}: not a Strata trainer state", path.string());
    field("step", state.step);
    field("tokens", state.tokens);
    if (state.step < 0 || state.tokens < 0)
        fail("{}: step and tokens must not be negative", path.string());
    field("val_loss", state.valLoss);
    field("best_val_loss", state.bestValLoss);
    field("tokenizer_fingerprint", fingerprint);
    state.tokenizerFingerprint = std::string(fingerprint);
    return state;
}

// "model.d_model = 64 there, 128 here": the first setting on which two config texts differ.
std::string firstDifference(const std::string& there, const std::string& here) {
    std::istringstream a(there), b(here);
    std::string lineA, lineB, table;
    while (std::getline(a, lineA) && std::getline(b, lineB)) {
        if (!lineA.empty() && lineA[0] == '[') table = lineA.substr(1, lineA.find(']') - 1);
        if (lineA == lineB) continue;
        size_t equalsA = lineA.find(" = "), equalsB = lineB.find(" = ");
        if (equalsA == std::string::npos || equalsB == std::string::npos)
            return "the model settings differ";
        return fmt::format("{}.{} is {} there, {} here", table, lineA.substr(0, equalsA),
                           lineA.substr(equalsA + 3), lineB.substr(equalsB + 3));
    }
    return "the model settings differ";
}

}  // namespace

void loadExtraModule(const fs::path& folder, const ExtraModule& extra) {
    fs::path path = folder / extraFile(extra);
    if (!fs::exists(path)) fail("{}: {} is missing", folder.string(), extraFile(extra));
    model::SafetensorsContent content = model::loadSafetensors(path);
    torch::NoGradGuard noGrad;
    for (auto& [name, tensor] : extraTensors(extra)) {
        auto found = content.tensors.find(name);
        if (found == content.tensors.end() || found->second.sizes() != tensor.sizes())
            fail("{}: tensor '{}' is missing or has another shape", path.string(), name);
        tensor.copy_(found->second);
    }
}

fs::path checkpointFolder(const fs::path& runDir, int64_t step) {
    return runDir / "checkpoints" / fmt::format("{}{:07d}", kFolderPrefix, step);
}

fs::path saveCheckpoint(const fs::path& runDir, const run::RunConfig& config,
                        model::Transformer& model, torch::optim::AdamW& optimizer,
                        const TrainerState& state, const std::vector<ExtraModule>& extras) {
    common::AtomicFolder folder(checkpointFolder(runDir, state.step));
    const fs::path& staging = folder.staging();
    model::writeModelFiles(staging, config.model, model, config.data.tokenizer);
    for (const ExtraModule& extra : extras) {
        model::NamedTensors weights;
        for (const auto& [name, tensor] : extraTensors(extra))
            weights.emplace_back(name, tensor.detach().to(torch::kCPU).contiguous());
        model::saveSafetensors(staging / extraFile(extra), weights, {{"format", "pt"}});
    }

    model::NamedTensors tensors;
    auto& optimizerState = optimizer.state();
    for (const auto& [name, parameter] : trainedParameters(model, extras)) {
        auto found = optimizerState.find(parameter.unsafeGetTensorImpl());
        if (found == optimizerState.end()) continue;  // not stepped yet
        auto& adam = static_cast<torch::optim::AdamWParamState&>(*found->second);
        tensors.emplace_back(name + ".exp_avg", adam.exp_avg().to(torch::kCPU).contiguous());
        tensors.emplace_back(name + ".exp_avg_sq", adam.exp_avg_sq().to(torch::kCPU).contiguous());
        tensors.emplace_back(name + ".step", torch::tensor(adam.step(), torch::kInt64));
    }
    for (const torch::Device& device : rngDevices())
        tensors.emplace_back(rngName(device),
                             at::globalContext().defaultGenerator(device).get_state());
    model::saveSafetensors(staging / kOptimizerFile, tensors, {{"format", "pt"}});
    writeTrainerState(staging / kTrainerStateFile, state);
    if (!state.precision.empty())
        model::saveSafetensors(staging / kPrecisionFile, state.precision, {{"format", "pt"}});
    common::AtomicFile runConfig(staging / kRunConfigFile);
    runConfig.write(run::runConfigText(config));
    runConfig.commit();
    folder.commit();
    return folder.target();
}

std::optional<fs::path> latestCheckpoint(const fs::path& runDir) {
    auto found = checkpointsByStep(runDir);
    if (found.empty()) return std::nullopt;
    return found.back().second;
}

TrainerState loadCheckpoint(const fs::path& folder, const run::RunConfig& config,
                            const std::string& tokenizerFingerprint, model::Transformer& model,
                            torch::optim::AdamW& optimizer,
                            const std::vector<ExtraModule>& extras) {
    if (!fs::is_directory(folder)) fail("{}: no such checkpoint", folder.string());
    for (const char* name :
         {model::kModelConfigFile, model::kModelWeightsFile, kOptimizerFile, kTrainerStateFile})
        if (!fs::exists(folder / name))
            fail("{}: not a complete checkpoint ({} is missing)", folder.string(), name);

    common::ConfigReader reader = common::ConfigReader::fromFile(folder / model::kModelConfigFile);
    model_spec::ModelConfig saved = model_spec::readModelConfig(reader);
    reader.finish();
    if (!(saved == config.model))
        fail("{}: the checkpoint's model does not match the config: {}", folder.string(),
             firstDifference(model_spec::modelConfigText(saved),
                             model_spec::modelConfigText(config.model)));
    TrainerState state = readTrainerState(folder / kTrainerStateFile);
    if (state.tokenizerFingerprint != tokenizerFingerprint)
        fail(
            "{}: the checkpoint was trained with another tokenizer (fingerprint {}, the config's "
            "{} has {})",
            folder.string(), state.tokenizerFingerprint, config.data.tokenizer.string(),
            tokenizerFingerprint);

    if (fs::path precisionPath = folder / kPrecisionFile; fs::exists(precisionPath))
        for (auto& [name, tensor] : model::loadSafetensors(precisionPath).tensors)
            state.precision.emplace_back(name, tensor);

    fs::path weightsPath = folder / model::kModelWeightsFile;
    model::loadModelState(model, model::loadSafetensors(weightsPath).tensors, weightsPath.string());
    for (const ExtraModule& extra : extras)
        loadExtraModule(folder, extra);

    fs::path optimizerPath = folder / kOptimizerFile;
    model::SafetensorsContent optimizerFile = model::loadSafetensors(optimizerPath);
    const auto& tensors = optimizerFile.tensors;
    auto find = [&](const std::string& name) -> const torch::Tensor& {
        auto found = tensors.find(name);
        if (found == tensors.end())
            fail("{}: tensor '{}' is missing", optimizerPath.string(), name);
        return found->second;
    };
    auto moment = [&](const std::string& name, const torch::Tensor& parameter) {
        const torch::Tensor& saved = find(name);
        if (saved.sizes() != parameter.sizes())
            fail("{}: tensor '{}' does not match its parameter's shape", optimizerPath.string(),
                 name);
        return saved.to(parameter.device(), parameter.scalar_type());
    };
    auto& optimizerState = optimizer.state();
    optimizerState.clear();
    for (const auto& [name, parameter] : trainedParameters(model, extras)) {
        if (!tensors.count(name + ".step")) continue;  // saved before its first step
        const torch::Tensor& step = find(name + ".step");
        if (step.numel() != 1 || step.scalar_type() != torch::kInt64 || step.item<int64_t>() < 0)
            fail("{}: tensor '{}.step' must be one non-negative int64", optimizerPath.string(),
                 name);
        auto adam = std::make_unique<torch::optim::AdamWParamState>();
        adam->step(step.item<int64_t>());
        adam->exp_avg(moment(name + ".exp_avg", parameter));
        adam->exp_avg_sq(moment(name + ".exp_avg_sq", parameter));
        optimizerState[parameter.unsafeGetTensorImpl()] = std::move(adam);
    }
    for (const torch::Device& device : rngDevices()) {
        auto found = tensors.find(rngName(device));
        if (found == tensors.end()) continue;
        at::Generator generator = at::globalContext().defaultGenerator(device);  // shares state
        std::lock_guard<std::mutex> lock(generator.mutex());
        try {
            generator.set_state(found->second);
        } catch (const c10::Error&) {
            fail("{}: tensor '{}' is not a generator state of this LibTorch",
                 optimizerPath.string(), found->first);
        }
    }
    return state;
}

void pruneCheckpoints(const fs::path& runDir, int keepLast, bool keepBest) {
    auto found = checkpointsByStep(runDir);
    fs::path best;
    double bestLoss = -1;
    if (keepBest) {
        for (const auto& [step, folder] : found) {
            double loss = readTrainerState(folder / kTrainerStateFile).valLoss;
            if (loss >= 0 && (bestLoss < 0 || loss < bestLoss)) {
                bestLoss = loss;
                best = folder;
            }
        }
    }
    for (size_t i = 0; i + size_t(keepLast) < found.size(); ++i) {
        if (found[i].second == best) continue;
        std::error_code error;
        fs::remove_all(found[i].second, error);
    }
}

}  // namespace strata::train
