#include "core/model/gguf_model.h"

#include "core/common/atomic_file.h"
#include "core/common/atomic_folder.h"
#include "core/common/error.h"
#include "core/gguf/gguf_file.h"
#include "core/gguf/gguf_model_config.h"
#include "core/gguf/gguf_quants.h"
#include "core/gguf/gguf_tokenizer.h"
#include "core/gguf/gguf_writer.h"
#include "core/model/hf_tensors.h"
#include "core/model/model_folder.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer_json.h"

#include <fmt/format.h>
#include <torch/torch.h>

namespace strata::model {

namespace fs = std::filesystem;
using common::fail;

namespace {

// blk.N.<GGUF suffix> <-> model.layers.N.<Hugging Face suffix>; "{moe}" stands for the MoE
// block's prefix ("block_sparse_moe." for Mixtral, "mlp." otherwise).
struct LayerTensorName {
    std::string_view gguf;
    std::string_view hf;
};
constexpr LayerTensorName kLayerTensorNames[] = {
    {"attn_norm.weight", "input_layernorm.weight"},
    {"ffn_norm.weight", "post_attention_layernorm.weight"},
    {"attn_q.weight", "self_attn.q_proj.weight"},
    {"attn_q.bias", "self_attn.q_proj.bias"},
    {"attn_k.weight", "self_attn.k_proj.weight"},
    {"attn_k.bias", "self_attn.k_proj.bias"},
    {"attn_v.weight", "self_attn.v_proj.weight"},
    {"attn_v.bias", "self_attn.v_proj.bias"},
    {"attn_output.weight", "self_attn.o_proj.weight"},
    {"attn_output.bias", "self_attn.o_proj.bias"},
    {"attn_q_norm.weight", "self_attn.q_norm.weight"},
    {"attn_k_norm.weight", "self_attn.k_norm.weight"},
    {"attn_q_a.weight", "self_attn.q_a_proj.weight"},
    {"attn_q_a_norm.weight", "self_attn.q_a_layernorm.weight"},
    {"attn_q_b.weight", "self_attn.q_b_proj.weight"},
    {"attn_kv_a_mqa.weight", "self_attn.kv_a_proj_with_mqa.weight"},
    {"attn_kv_a_norm.weight", "self_attn.kv_a_layernorm.weight"},
    {"attn_kv_b.weight", "self_attn.kv_b_proj.weight"},
    {"ffn_gate.weight", "mlp.gate_proj.weight"},
    {"ffn_up.weight", "mlp.up_proj.weight"},
    {"ffn_down.weight", "mlp.down_proj.weight"},
    {"ffn_gate_inp.weight", "{moe}gate.weight"},
    {"exp_probs_b.bias", "{moe}gate.e_score_correction_bias"},
    {"ffn_gate_shexp.weight", "mlp.shared_experts.gate_proj.weight"},
    {"ffn_up_shexp.weight", "mlp.shared_experts.up_proj.weight"},
    {"ffn_down_shexp.weight", "mlp.shared_experts.down_proj.weight"},
};

// Experts: one GGUF tensor (experts, rows, columns) <-> one Hugging Face tensor per expert.
struct ExpertTensorName {
    std::string_view gguf;
    std::string_view hf;         // after "{moe}experts.E."
    std::string_view mixtralHf;  // Mixtral's names
};
constexpr ExpertTensorName kExpertTensorNames[] = {
    {"ffn_gate_exps.weight", "gate_proj.weight", "w1.weight"},
    {"ffn_up_exps.weight", "up_proj.weight", "w3.weight"},
    {"ffn_down_exps.weight", "down_proj.weight", "w2.weight"},
};

constexpr std::string_view kKeyAbsorbed = "attn_k_b.weight";
constexpr std::string_view kValueAbsorbed = "attn_v_b.weight";

std::string moePrefix(model_spec::ModelFamily family) {
    return family == model_spec::ModelFamily::Mixtral ? "block_sparse_moe." : "mlp.";
}

std::string withMoePrefix(std::string_view hf, model_spec::ModelFamily family) {
    std::string name(hf);
    if (size_t at = name.find("{moe}"); at != std::string::npos)
        name.replace(at, 5, moePrefix(family));
    return name;
}

torch::ScalarType torchTypeOf(gguf::GgmlType type) {
    switch (type) {
        case gguf::GgmlType::F32:
            return torch::kFloat32;
        case gguf::GgmlType::F16:
            return torch::kFloat16;
        case gguf::GgmlType::BF16:
            return torch::kBFloat16;
        default:
            return torch::kFloat32;  // quantized: dequantized to float32
    }
}

// A float tensor as a read-only view of the mapped file; a quantized one dequantized.
torch::Tensor readTensor(const gguf::GgufFile& file, const gguf::TensorInfo& info) {
    std::string_view bytes = file.tensorData(info);
    auto* data = reinterpret_cast<uint8_t*>(const_cast<char*>(bytes.data()));
    torch::ScalarType type = torchTypeOf(info.type);
    bool stored = info.type == gguf::GgmlType::F32 || info.type == gguf::GgmlType::F16 ||
                  info.type == gguf::GgmlType::BF16;
    if (stored) return torch::from_blob(data, info.shape, torch::TensorOptions().dtype(type));
    torch::Tensor values = torch::empty(info.shape, torch::kFloat32);
    gguf::dequantize(info.type, data,
                     std::span<float>(values.data_ptr<float>(), size_t(values.numel())));
    return values;
}

// llama.cpp's converter stores the query and key rows of every head with the two rotary halves
// interleaved (rows 0, h, 1, h + 1, ... of a head of 2h rows); this puts them back.
torch::Tensor uninterleaveRotaryRows(const torch::Tensor& weight, int64_t heads) {
    int64_t rows = weight.size(0);
    std::vector<int64_t> shape{heads, rows / heads / 2, 2};
    for (int64_t d = 1; d < weight.dim(); ++d)
        shape.push_back(weight.size(d));
    return weight.reshape(shape).transpose(1, 2).reshape(weight.sizes());
}

// Every tensor of `file` under its Hugging Face name, in the layout transformers keeps.
std::map<std::string, torch::Tensor> hfTensorsOf(const gguf::GgufFile& file,
                                                 const gguf::GgufModelConfig& model) {
    const model_spec::ModelConfig& c = model.hf.config;
    std::map<std::string, torch::Tensor> tensors;
    std::map<int, torch::Tensor> keysAbsorbed, valuesAbsorbed;
    auto add = [&](std::string name, torch::Tensor tensor) {
        tensors.emplace(std::move(name), std::move(tensor));
    };
    for (const gguf::TensorInfo& info : file.tensors()) {
        std::string_view name = info.name;
        if (name == "token_embd.weight") {
            add("model.embed_tokens.weight", readTensor(file, info));
            continue;
        }
        if (name == "output_norm.weight") {
            add("model.norm.weight", readTensor(file, info));
            continue;
        }
        if (name == "output.weight") {
            add("lm_head.weight", readTensor(file, info));
            continue;
        }
        std::optional<std::pair<int, std::string_view>> layer = splitLayerName(name, "blk.");
        if (!layer)
            fail("{}: tensor '{}' has no place in a {} model", file.name(), name,
                 model_spec::hfFamilyName(c.family));
        auto [index, suffix] = *layer;
        std::string hfLayer = fmt::format("model.layers.{}.", index);
        if (suffix == kKeyAbsorbed || suffix == kValueAbsorbed) {
            (suffix == kKeyAbsorbed ? keysAbsorbed : valuesAbsorbed)[index] =
                readTensor(file, info);
            continue;
        }
        bool placed = false;
        for (const ExpertTensorName& expert : kExpertTensorNames) {
            if (suffix != expert.gguf) continue;
            torch::Tensor stacked = readTensor(file, info);
            if (stacked.dim() != 3)
                fail("{}: tensor '{}' must have 3 dimensions (experts, rows, columns)", file.name(),
                     name);
            bool mixtral = c.family == model_spec::ModelFamily::Mixtral;
            for (int64_t e = 0; e < stacked.size(0); ++e)
                add(fmt::format("{}{}experts.{}.{}", hfLayer, moePrefix(c.family), e,
                                mixtral ? expert.mixtralHf : expert.hf),
                    stacked[e]);
            placed = true;
        }
        for (const LayerTensorName& link : kLayerTensorNames) {
            if (placed || suffix != link.gguf) continue;
            torch::Tensor tensor = readTensor(file, info);
            bool query = suffix == "attn_q.weight" || suffix == "attn_q.bias";
            bool key = suffix == "attn_k.weight" || suffix == "attn_k.bias";
            int64_t heads = query ? c.attention.numHeads : c.attention.numKvHeads;
            // Checked here, before the rows are reordered by head; the shape is checked later.
            if (model.rotaryRowsInterleaved && (query || key)) {
                if (tensor.size(0) % (2 * heads) != 0)
                    fail(
                        "{}: tensor '{}' has {} rows, not a whole number of rotary head pairs "
                        "({} heads)",
                        file.name(), name, tensor.size(0), heads);
                tensor = uninterleaveRotaryRows(tensor, heads);
            }
            add(hfLayer + withMoePrefix(link.hf, c.family), tensor);
            placed = true;
        }
        if (!placed)
            fail("{}: tensor '{}' has no place in a {} model", file.name(), name,
                 model_spec::hfFamilyName(c.family));
    }
    // DeepSeek's absorbed latent projections: k_b (heads, kv_lora, nope) transposed and
    // v_b (heads, v, kv_lora), joined per head into kv_b (heads * (nope + v), kv_lora).
    for (const auto& [index, keys] : keysAbsorbed) {
        auto values = valuesAbsorbed.find(index);
        if (values == valuesAbsorbed.end() || keys.dim() != 3 || values->second.dim() != 3 ||
            keys.size(0) != values->second.size(0) || keys.size(1) != values->second.size(2))
            fail("{}: tensors 'blk.{}.{}' and 'blk.{}.{}' do not make one latent projection",
                 file.name(), index, kKeyAbsorbed, index, kValueAbsorbed);
        torch::Tensor joined = torch::cat({keys.transpose(1, 2), values->second}, 1);
        add(fmt::format("model.layers.{}.self_attn.kv_b_proj.weight", index),
            joined.reshape({-1, keys.size(1)}));
        valuesAbsorbed.erase(values);
    }
    if (!valuesAbsorbed.empty())
        fail("{}: tensor 'blk.{}.{}' has no '{}' beside it", file.name(),
             valuesAbsorbed.begin()->first, kValueAbsorbed, kKeyAbsorbed);
    return tensors;
}

// llama.cpp's rotary row order for Llama's query and key projections: the two halves of every
// head interleaved (uninterleaveRotaryRows undone).
torch::Tensor interleaveRotaryRows(const torch::Tensor& weight, int64_t heads) {
    int64_t rows = weight.size(0);
    std::vector<int64_t> shape{heads, 2, rows / heads / 2};
    for (int64_t d = 1; d < weight.dim(); ++d)
        shape.push_back(weight.size(d));
    return weight.reshape(shape).transpose(1, 2).reshape(weight.sizes());
}

// The GGUF name of a Hugging Face tensor that is not an expert's; empty when it has none.
std::string ggufName(const std::string& hf, model_spec::ModelFamily family) {
    if (hf == "model.embed_tokens.weight") return "token_embd.weight";
    if (hf == "model.norm.weight") return "output_norm.weight";
    if (hf == "lm_head.weight") return "output.weight";
    std::optional<std::pair<int, std::string_view>> layer = splitLayerName(hf, "model.layers.");
    if (!layer) return {};
    for (const LayerTensorName& link : kLayerTensorNames)
        if (withMoePrefix(link.hf, family) == layer->second)
            return fmt::format("blk.{}.{}", layer->first, link.gguf);
    return {};
}

// What llama.cpp's converter stores in float32 whatever the file's type: vectors (norms, biases,
// the router's bias) and the routers, and a matrix whose rows are not whole blocks.
gguf::GgmlType storedType(const std::string& name, const torch::Tensor& tensor,
                          gguf::GgmlType type) {
    if (tensor.dim() < 2 || name.find("ffn_gate_inp") != std::string::npos)
        return gguf::GgmlType::F32;
    if (tensor.size(-1) % gguf::ggmlTypeTraits(type).blockElements != 0) return gguf::GgmlType::F16;
    return type;
}

void addTensor(gguf::GgufWriter& writer, const std::string& name, const torch::Tensor& tensor,
               gguf::GgmlType type) {
    torch::Tensor values = tensor.to(torch::kFloat32).contiguous();
    writer.addTensor(name, values.sizes().vec(), storedType(name, values, type),
                     std::span<const float>(values.data_ptr<float>(), size_t(values.numel())));
}

// The Hugging Face tensors of a model as llama.cpp names and lays them out.
void addTensors(gguf::GgufWriter& writer, const model_spec::ModelConfig& c,
                model_spec::ModelFamily family, const NamedTensors& hf, gguf::GgmlType type) {
    bool llama = family == model_spec::ModelFamily::Llama ||
                 family == model_spec::ModelFamily::Mistral ||
                 family == model_spec::ModelFamily::Mixtral;
    bool mixtral = family == model_spec::ModelFamily::Mixtral;
    std::map<std::string, torch::Tensor> experts;  // "blk.N.ffn_gate_exps.weight" -> stacked
    std::map<std::string, std::vector<torch::Tensor>> perExpert;
    for (const auto& [name, tensor] : hf) {
        std::optional<std::pair<int, std::string_view>> split =
            splitLayerName(name, "model.layers.");
        int layer = split ? split->first : -1;
        size_t at = name.find(".experts.");
        if (at != std::string::npos) {
            // model.layers.N.<moe>experts.E.<projection>
            std::string projection = name.substr(name.find('.', at + 9) + 1);
            for (const ExpertTensorName& expert : kExpertTensorNames)
                if (projection == (mixtral ? expert.mixtralHf : expert.hf))
                    perExpert[fmt::format("blk.{}.{}", layer, expert.gguf)].push_back(tensor);
            continue;
        }
        if (name.ends_with("self_attn.kv_b_proj.weight")) {
            // The absorbed form llama.cpp computes with: k_b (heads, kv_lora, nope) and
            // v_b (heads, v, kv_lora).
            const model_spec::AttentionConfig& a = c.attention;
            torch::Tensor perHead =
                tensor.reshape({a.numHeads, a.qkNopeHeadDim + a.vHeadDim, a.kvLoraRank});
            addTensor(writer, fmt::format("blk.{}.attn_k_b.weight", layer),
                      perHead.narrow(1, 0, a.qkNopeHeadDim).transpose(1, 2), type);
            addTensor(writer, fmt::format("blk.{}.attn_v_b.weight", layer),
                      perHead.narrow(1, a.qkNopeHeadDim, a.vHeadDim), type);
            continue;
        }
        std::string gguf = ggufName(name, family);
        if (gguf.empty()) fail("tensor '{}' has no GGUF name", name);
        torch::Tensor out = tensor;
        if (llama && (gguf.ends_with("attn_q.weight") || gguf.ends_with("attn_q.bias")))
            out = interleaveRotaryRows(out, c.attention.numHeads);
        if (llama && (gguf.ends_with("attn_k.weight") || gguf.ends_with("attn_k.bias")))
            out = interleaveRotaryRows(out, c.attention.numKvHeads);
        addTensor(writer, gguf, out, type);
    }
    for (const auto& [name, list] : perExpert)
        addTensor(writer, name, torch::stack(list), type);
}

void writeText(const fs::path& path, std::string_view text) {
    common::AtomicFile file(path);
    file.write(text);
    file.commit();
}

}  // namespace

model_spec::HfModelConfig importGguf(const fs::path& ggufFile, const fs::path& modelFolder) {
    if (!fs::is_regular_file(ggufFile)) fail("{}: no such file", ggufFile.string());
    checkReplaceableFolder(modelFolder, ggufFile, kModelConfigFile, "Strata model");
    gguf::GgufFile file(ggufFile);
    // The architecture and the tokenizer are read before any tensor: a file Strata cannot use
    // costs nothing.
    gguf::GgufModelConfig model = gguf::readGgufModelConfig(file);
    gguf::GgufTokenizerFiles tokenizer = gguf::readGgufTokenizer(file);
    const gguf::Array* tokens = file.findArray("tokenizer.ggml.tokens", gguf::ValueType::String);
    if (tokens && int64_t(tokens->values.size()) > model.hf.config.vocabSize)
        fail("{}: the tokenizer has {} tokens, more than the model's vocabulary of {}", file.name(),
             tokens->values.size(), model.hf.config.vocabSize);
    model_spec::TensorShapes expected = model_spec::modelTensorShapes(model.hf.config);
    std::map<std::string, torch::Tensor> ours =
        fromHfTensors(model.hf, hfTensorsOf(file, model), expected, file.name());
    NamedTensors weights = inModelOrder(std::move(ours), expected, file.name());

    common::AtomicFolder out(modelFolder);
    writeModelWeights(out.staging(), model.hf.config, weights);
    writeText(out.staging() / kTokenizerFile, tokenizer.tokenizerJson);
    writeText(out.staging() / kTokenizerConfigFile, tokenizer.tokenizerConfigJson);
    out.commit();
    return model.hf;
}

std::string exportGguf(const fs::path& modelFolder, const fs::path& ggufFile, gguf::GgmlType type,
                       const model_spec::HfSpecialTokens& tokens) {
    if (!fs::exists(modelFolder / kModelConfigFile))
        fail("{}: not a model folder ({} is missing)", modelFolder.string(), kModelConfigFile);
    std::string source = (modelFolder / kModelConfigFile).string();
    // Checked before any weight is read: a class that holds the model, an architecture of
    // llama.cpp that runs it, a tokenizer it can read.
    model_spec::ModelConfig config = readModelFolderConfig(modelFolder);
    model_spec::ModelFamily family = model_spec::chooseHfArchitecture(config, source);
    gguf::GgufWriter writer;
    std::string architecture = gguf::addGgufModelMetadata(writer, config, family, source);
    writer.addString("general.name", modelFolder.filename().string())
        .addU32("general.file_type", gguf::ggufFileType(type));
    if (type == gguf::GgmlType::Q8_0) writer.addU32("general.quantization_version", 2);
    tokenizer::TokenizerData tokenizer = tokenizer::readTokenizer(modelFolder);
    gguf::addGgufTokenizerMetadata(writer, tokenizer, tokens,
                                   tokenizer::readChatTemplate(modelFolder).value_or(""),
                                   (modelFolder / kTokenizerFile).string());

    LoadedModel loaded = loadModelFolder(modelFolder);
    addTensors(writer, config, family, toHfTensors(config, family, modelState(loaded.model)), type);
    writer.write(ggufFile);
    return architecture;
}

}  // namespace strata::model
