#include "core/model/hf_folder.h"

#include "core/common/atomic_file.h"
#include "core/common/atomic_folder.h"
#include "core/common/error.h"
#include "core/common/json_object.h"
#include "core/common/json_writer.h"
#include "core/model/hf_tensors.h"
#include "core/model/model_folder.h"

#include <fmt/format.h>
#include <simdjson.h>
#include <torch/torch.h>

#include <set>

namespace strata::model {

namespace fs = std::filesystem;
using common::fail;

namespace {

const char* dtypeName(torch::ScalarType type) {
    switch (type) {
        case torch::kFloat32:
            return "float32";
        case torch::kBFloat16:
            return "bfloat16";
        case torch::kFloat16:
            return "float16";
        default:
            fail("tensors of type {} have no Hugging Face dtype name", c10::toString(type));
    }
}

// The tokenizer class and special tokens transformers' AutoTokenizer needs beside
// tokenizer.json; without it, transformers would pick a tokenizer class from config.json's
// model_type, with that model's own special tokens.
std::string tokenizerConfigJson(const model_spec::HfSpecialTokens& tokens, int contextLength) {
    common::JsonWriter json;
    json.beginObject()
        .key("tokenizer_class")
        .value("PreTrainedTokenizerFast")
        .key("model_max_length")
        .value(contextLength)
        .key("clean_up_tokenization_spaces")
        .value(false);
    auto special = [&](const char* key, const std::optional<model_spec::HfSpecialToken>& token) {
        if (token) json.key(key).value(token->content);
    };
    special("bos_token", tokens.bos);
    special("eos_token", tokens.eos);
    special("pad_token", tokens.pad);
    return json.endObject().take() + "\n";
}

void writeTextFile(const fs::path& path, std::string_view text) {
    common::AtomicFile file(path);
    file.write(text);
    file.commit();
}

void copyFile(const fs::path& from, const fs::path& to) {
    std::error_code error;
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, error);
    if (error) fail("{}: cannot copy to {}: {}", from.string(), to.string(), error.message());
}

// weight_map of model.safetensors.index.json: tensor name -> shard file name.
std::map<std::string, std::string> readWeightMap(const fs::path& indexPath) {
    std::string file = indexPath.string();
    simdjson::dom::parser parser;
    simdjson::dom::object weightMap;
    if (common::loadJsonObject(parser, indexPath)["weight_map"].get(weightMap))
        fail("{}: key 'weight_map' is missing or not an object", file);
    std::map<std::string, std::string> shards;
    for (auto entry : weightMap) {
        std::string_view shard;
        if (entry.value.get(shard))
            fail("{}: key 'weight_map.{}' must be a string", file, entry.key);
        // A shard is a file beside the index, never a path leading elsewhere.
        if (shard.empty() || shard.find('/') != std::string_view::npos || shard == "." ||
            shard == "..")
            fail("{}: key 'weight_map.{}' names '{}', which is not a file name", file, entry.key,
                 shard);
        shards.emplace(entry.key, shard);
    }
    return shards;
}

}  // namespace

model_spec::HfSpecialTokens specialTokensOf(const tokenizer::Tokenizer& tokenizer) {
    const tokenizer::TokenizerData& data = tokenizer.data();
    auto find = [&](const std::string& named,
                    const char* strata) -> std::optional<model_spec::HfSpecialToken> {
        std::string content = named.empty() ? strata : named;
        std::optional<tokenizer::TokenId> id = tokenizer.findAddedToken(content);
        if (!id) return std::nullopt;
        return model_spec::HfSpecialToken{int64_t(*id), content};
    };
    return {find(data.bosToken, "<|bos|>"), find(data.eosToken, "<|eos|>"),
            find(data.padToken, "<|pad|>")};
}

std::map<std::string, torch::Tensor> loadHfTensors(const fs::path& hfFolder) {
    fs::path single = hfFolder / kHfWeightsFile;
    if (fs::exists(single)) return mapSafetensors(single).tensors;
    fs::path indexPath = hfFolder / kHfWeightsIndexFile;
    if (!fs::exists(indexPath))
        fail("{}: has neither {} nor {}", hfFolder.string(), kHfWeightsFile, kHfWeightsIndexFile);
    std::map<std::string, std::string> weightMap = readWeightMap(indexPath);
    std::set<std::string> shardNames;
    for (const auto& [name, shard] : weightMap)
        shardNames.insert(shard);
    std::map<std::string, torch::Tensor> tensors;
    for (const std::string& shardName : shardNames) {
        fs::path shardPath = hfFolder / shardName;
        for (auto& [name, tensor] : mapSafetensors(shardPath).tensors) {
            auto listed = weightMap.find(name);
            if (listed == weightMap.end() || listed->second != shardName)
                fail("{}: tensor '{}' is not where {} puts it", shardPath.string(), name,
                     kHfWeightsIndexFile);
            tensors.emplace(name, std::move(tensor));
        }
    }
    for (const auto& [name, shard] : weightMap)
        if (!tensors.contains(name))
            fail("{}: tensor '{}' is missing from {}, where {} puts it", hfFolder.string(), name,
                 shard, kHfWeightsIndexFile);
    return tensors;
}

model_spec::ModelFamily exportHfFolder(const fs::path& modelFolder, const fs::path& hfFolder,
                                       const model_spec::HfSpecialTokens& tokens) {
    checkReplaceableFolder(hfFolder, modelFolder, kHfConfigFile, "Hugging Face model");
    // Checked before any weight is read: whether a class can hold the model.
    if (!fs::exists(modelFolder / kModelConfigFile))
        fail("{}: not a model folder ({} is missing)", modelFolder.string(), kModelConfigFile);
    model_spec::ModelFamily architecture = model_spec::chooseHfArchitecture(
        readModelFolderConfig(modelFolder), (modelFolder / kModelConfigFile).string());
    // The folder's dtype goes back out: an imported bfloat16 model exports as bfloat16, a model
    // trained here as float32.
    torch::ScalarType fileType = torch::kFloat32;
    {
        std::map<std::string, torch::Tensor> stored =
            mapSafetensors(modelFolder / kModelWeightsFile).tensors;
        auto embedding = stored.find("embedding.weight");
        if (embedding != stored.end()) fileType = embedding->second.scalar_type();
    }
    LoadedModel loaded = loadModelFolder(modelFolder);
    NamedTensors tensors = toHfTensors(loaded.config, architecture, modelState(loaded.model));
    for (auto& [name, tensor] : tensors)
        tensor = tensor.to(fileType);
    std::string dtype = dtypeName(fileType);

    common::AtomicFolder out(hfFolder);
    writeTextFile(out.staging() / kHfConfigFile,
                  model_spec::formatHfConfigJson(loaded.config, architecture, tokens, dtype));
    saveSafetensors(out.staging() / kHfWeightsFile, tensors, {{"format", "pt"}});
    copyFile(loaded.tokenizerPath, out.staging() / kTokenizerFile);
    // An imported model's own files, as they came; a model made here gets Strata's
    // tokenizer_config.json.
    copyTokenizerCompanions(modelFolder, out.staging());
    if (!fs::exists(modelFolder / kTokenizerConfigFile))
        writeTextFile(out.staging() / kTokenizerConfigFile,
                      tokenizerConfigJson(tokens, loaded.config.contextLength));
    out.commit();
    return architecture;
}

model_spec::HfModelConfig importHfFolder(const fs::path& hfFolder, const fs::path& modelFolder) {
    if (!fs::is_directory(hfFolder)) fail("{}: no such folder", hfFolder.string());
    checkReplaceableFolder(modelFolder, hfFolder, kModelConfigFile, "Strata model");
    model_spec::HfModelConfig hf = model_spec::readHfConfig(hfFolder / kHfConfigFile);
    fs::path tokenizer = hfFolder / kTokenizerFile;
    if (!fs::exists(tokenizer))
        fail("{}: {} is missing (a Strata model folder keeps the model's tokenizer)",
             hfFolder.string(), kTokenizerFile);
    std::map<std::string, torch::Tensor> tensors = loadHfTensors(hfFolder);
    // Checked against config.json before the model is built: a config that disagrees with its
    // tensors costs nothing.
    std::map<std::string, torch::Tensor> ours = fromHfTensors(
        hf, std::move(tensors), model_spec::modelTensorShapes(hf.config), hfFolder.string());

    // Written in the file's dtype, straight from the mapped file (or the few tensors reordered on
    // the way): no float32 model is built, and loading converts tensor by tensor.
    NamedTensors weights =
        inModelOrder(std::move(ours), model_spec::modelTensorShapes(hf.config), hfFolder.string());

    common::AtomicFolder out(modelFolder);
    writeModelFiles(out.staging(), hf.config, weights, tokenizer);
    out.commit();
    return hf;
}

}  // namespace strata::model
