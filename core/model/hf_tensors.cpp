#include "core/model/hf_tensors.h"

#include "core/common/error.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <charconv>
#include <optional>
#include <vector>

namespace strata::model {

using common::fail;

namespace {

// Where one Strata tensor lives on the Hugging Face side.
struct TensorLink {
    std::string ours;
    std::string hf;                 // per-expert links: the name up to the expert index
    std::string expertSuffix = {};  // per-expert links: the name after it; empty otherwise
    // DeepseekV3's rotary rows: in every block of `period` rows, the `count` rows from `start`.
    int64_t period = 0, start = 0, count = 0;

    bool perExpert() const { return !expertSuffix.empty(); }
    std::string hfName(int64_t expert) const { return hf + std::to_string(expert) + expertSuffix; }
};

// DeepSeek-V3's routers steer their choice with a trained bias; Mixtral's and Qwen3-MoE's do not.
bool hasSelectionBias(model_spec::ModelFamily family) {
    return family == model_spec::ModelFamily::DeepseekV3;
}

// The links of a model of `c`, in the order transformers lists its tensors (layer by layer).
std::vector<TensorLink> tensorLinks(const model_spec::ModelConfig& c,
                                    model_spec::ModelFamily family) {
    bool mixtral = family == model_spec::ModelFamily::Mixtral;
    const model_spec::AttentionConfig& a = c.attention;
    std::vector<TensorLink> links;
    auto plain = [&](std::string ours, std::string hf) {
        links.push_back({std::move(ours), std::move(hf)});
    };
    plain("embedding.weight", "model.embed_tokens.weight");
    for (int layer = 0; layer < c.numLayers; ++layer) {
        std::string our = fmt::format("block{}.", layer);
        std::string hf = fmt::format("model.layers.{}.", layer);
        plain(our + "attention_norm.weight", hf + "input_layernorm.weight");
        if (a.kind == model_spec::AttentionKind::Mla) {
            int64_t queryPeriod = a.qkNopeHeadDim + a.qkRopeHeadDim;
            if (a.qLoraRank > 0) {
                plain(our + "attention.q_a.weight", hf + "self_attn.q_a_proj.weight");
                plain(our + "attention.q_norm.weight", hf + "self_attn.q_a_layernorm.weight");
                links.push_back({our + "attention.q_b.weight",
                                 hf + "self_attn.q_b_proj.weight",
                                 {},
                                 queryPeriod,
                                 a.qkNopeHeadDim,
                                 a.qkRopeHeadDim});
            } else {
                links.push_back({our + "attention.wq.weight",
                                 hf + "self_attn.q_proj.weight",
                                 {},
                                 queryPeriod,
                                 a.qkNopeHeadDim,
                                 a.qkRopeHeadDim});
            }
            links.push_back({our + "attention.kv_a.weight",
                             hf + "self_attn.kv_a_proj_with_mqa.weight",
                             {},
                             a.kvLoraRank + a.qkRopeHeadDim,
                             a.kvLoraRank,
                             a.qkRopeHeadDim});
            plain(our + "attention.kv_norm.weight", hf + "self_attn.kv_a_layernorm.weight");
            plain(our + "attention.kv_b.weight", hf + "self_attn.kv_b_proj.weight");
        } else {
            for (const char* projection : {"q", "k", "v"}) {
                std::string ours = fmt::format("{}attention.w{}.", our, projection);
                std::string theirs = fmt::format("{}self_attn.{}_proj.", hf, projection);
                plain(ours + "weight", theirs + "weight");
                if (a.qkvBias) plain(ours + "bias", theirs + "bias");
            }
            if (a.qkNorm) {
                plain(our + "attention.q_norm.weight", hf + "self_attn.q_norm.weight");
                plain(our + "attention.k_norm.weight", hf + "self_attn.k_norm.weight");
            }
        }
        plain(our + "attention.wo.weight", hf + "self_attn.o_proj.weight");
        if (a.outputBias) plain(our + "attention.wo.bias", hf + "self_attn.o_proj.bias");
        plain(our + "ffn_norm.weight", hf + "post_attention_layernorm.weight");
        if (!c.isMoeLayer(layer)) {
            plain(our + "ffn.gate.weight", hf + "mlp.gate_proj.weight");
            plain(our + "ffn.up.weight", hf + "mlp.up_proj.weight");
            plain(our + "ffn.down.weight", hf + "mlp.down_proj.weight");
            continue;
        }
        std::string moe = hf + (mixtral ? "block_sparse_moe." : "mlp.");
        plain(our + "moe.router.gate.weight", moe + "gate.weight");
        if (hasSelectionBias(family))
            plain(our + "moe.router.bias", moe + "gate.e_score_correction_bias");
        // Mixtral names its expert projections after the paper: w1 gate, w2 down, w3 up.
        links.push_back({our + "moe.experts.gate", moe + "experts.",
                         mixtral ? ".w1.weight" : ".gate_proj.weight"});
        links.push_back(
            {our + "moe.experts.up", moe + "experts.", mixtral ? ".w3.weight" : ".up_proj.weight"});
        links.push_back({our + "moe.experts.down", moe + "experts.",
                         mixtral ? ".w2.weight" : ".down_proj.weight"});
        if (c.moe.numSharedExperts > 0) {
            plain(our + "moe.shared.gate.weight", moe + "shared_experts.gate_proj.weight");
            plain(our + "moe.shared.up.weight", moe + "shared_experts.up_proj.weight");
            plain(our + "moe.shared.down.weight", moe + "shared_experts.down_proj.weight");
        }
    }
    plain("final_norm.weight", "model.norm.weight");
    if (!c.tiedEmbeddings) plain("head.weight", "lm_head.weight");
    return links;
}

// The rotary rows of `weight` (link.start .. + link.count of every block of link.period rows)
// from Strata's half-split order (x0 .. x{h-1}, y0 .. y{h-1}) to DeepSeek's interleaved pairs
// (x0, y0, x1, y1, ...), or back.
torch::Tensor permuteRotaryRows(const torch::Tensor& weight, const TensorLink& link,
                                bool toInterleaved) {
    int64_t columns = weight.size(1), half = link.count / 2;
    torch::Tensor blocks = weight.reshape({-1, link.period, columns});
    torch::Tensor rotary = blocks.narrow(1, link.start, link.count);
    torch::Tensor permuted = toInterleaved ? rotary.reshape({-1, 2, half, columns}).transpose(1, 2)
                                           : rotary.reshape({-1, half, 2, columns}).transpose(1, 2);
    int64_t after = link.start + link.count;
    return torch::cat({blocks.narrow(1, 0, link.start), permuted.reshape({-1, link.count, columns}),
                       blocks.narrow(1, after, link.period - after)},
                      1)
        .reshape(weight.sizes());
}

std::string shapeText(torch::IntArrayRef shape) {
    return fmt::format("[{}]", fmt::join(shape, ", "));
}

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// N of a name "model.layers.N....".
std::optional<int> layerOf(std::string_view name) {
    std::optional<std::pair<int, std::string_view>> split = splitLayerName(name, "model.layers.");
    if (!split) return std::nullopt;
    return split->first;
}

// transformers 5 keeps a model's experts fused in memory (experts.gate_up_proj (E, 2F, D),
// experts.down_proj (E, D, F)) and Mixtral's MoE block under "mlp."; rewrites such tensors in the
// per-expert layout of the checkpoints.
void unfuseExperts(std::map<std::string, torch::Tensor>& tensors, model_spec::ModelFamily family,
                   const std::string& source) {
    bool mixtral = family == model_spec::ModelFamily::Mixtral;
    std::map<std::string, torch::Tensor> rewritten;
    auto add = [&](std::string name, torch::Tensor tensor) {
        if (tensors.contains(name) || !rewritten.emplace(name, std::move(tensor)).second)
            fail("{}: tensor '{}' appears twice, in the fused and the per-expert layout", source,
                 name);
    };
    for (auto it = tensors.begin(); it != tensors.end();) {
        std::string name = it->first;
        if (mixtral) {
            size_t mlp = name.find(".mlp.");
            if (mlp != std::string::npos) name.replace(mlp, 5, ".block_sparse_moe.");
        }
        bool gateUp = endsWith(name, ".experts.gate_up_proj");
        bool down = endsWith(name, ".experts.down_proj");
        if (name == it->first && !gateUp && !down) {
            ++it;
            continue;
        }
        torch::Tensor tensor = std::move(it->second);
        it = tensors.erase(it);
        if (!gateUp && !down) {
            add(name, std::move(tensor));
            continue;
        }
        if (tensor.dim() != 3 || (gateUp && tensor.size(1) % 2 != 0))
            fail("{}: tensor '{}' has shape {}; fused experts are (experts, {}, {})", source, name,
                 shapeText(tensor.sizes()), gateUp ? "2 * hidden" : "d_model",
                 gateUp ? "d_model" : "hidden");
        std::string prefix = name.substr(0, name.rfind('.') + 1);  // "...experts."
        for (int64_t expert = 0; expert < tensor.size(0); ++expert) {
            std::string at = prefix + std::to_string(expert);
            if (down) {
                add(at + (mixtral ? ".w2.weight" : ".down_proj.weight"), tensor[expert]);
                continue;
            }
            int64_t hidden = tensor.size(1) / 2;
            add(at + (mixtral ? ".w1.weight" : ".gate_proj.weight"),
                tensor[expert].narrow(0, 0, hidden));
            add(at + (mixtral ? ".w3.weight" : ".up_proj.weight"),
                tensor[expert].narrow(0, hidden, hidden));
        }
    }
    tensors.merge(rewritten);
}

bool isRouterBias(const std::string& name) {
    return endsWith(name, ".moe.router.bias");
}

}  // namespace

std::optional<std::pair<int, std::string_view>> splitLayerName(std::string_view name,
                                                               std::string_view prefix) {
    if (name.substr(0, prefix.size()) != prefix) return std::nullopt;
    name.remove_prefix(prefix.size());
    int layer = 0;
    auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), layer);
    if (error != std::errc() || end == name.data() + name.size() || *end != '.')
        return std::nullopt;
    return std::pair{layer, name.substr(size_t(end - name.data()) + 1)};
}

NamedTensors toHfTensors(const model_spec::ModelConfig& config, model_spec::ModelFamily family,
                         const NamedTensors& state) {
    std::map<std::string, torch::Tensor> ours(state.begin(), state.end());
    NamedTensors out;
    for (const TensorLink& link : tensorLinks(config, family)) {
        auto found = ours.find(link.ours);
        if (found == ours.end()) fail("tensor '{}' is missing from the model", link.ours);
        const torch::Tensor& tensor = found->second;
        if (link.perExpert()) {
            for (int64_t expert = 0; expert < tensor.size(0); ++expert)
                out.emplace_back(link.hfName(expert), tensor[expert].contiguous());
        } else if (link.count > 0) {
            out.emplace_back(link.hf, permuteRotaryRows(tensor, link, /*toInterleaved=*/true));
        } else {
            out.emplace_back(link.hf, tensor);
        }
        ours.erase(found);
    }
    for (const auto& [name, tensor] : ours) {
        // Only an all-zero selection bias (never trained) can go where routers have none.
        if (isRouterBias(name) && !hasSelectionBias(family)) {
            if (tensor.count_nonzero().item<int64_t>() == 0) continue;
            fail(
                "tensor '{}' is not zero, and {}'s router has no selection bias (it was "
                "trained with model.moe.bias_update_speed > 0)",
                name, model_spec::hfFamilyName(family));
        }
        fail("tensor '{}' has no place in {}", name, model_spec::hfArchitectureName(family));
    }
    return out;
}

std::map<std::string, torch::Tensor> fromHfTensors(const model_spec::HfModelConfig& hf,
                                                   std::map<std::string, torch::Tensor> tensors,
                                                   const model_spec::TensorShapes& expected,
                                                   const std::string& source) {
    const model_spec::ModelConfig& c = hf.config;
    unfuseExperts(tensors, c.family, source);
    if (hf.numExtraLayers > 0) {
        // Multi-token-prediction modules follow the last layer; Strata has no use for them.
        std::erase_if(tensors, [&](const auto& item) {
            std::optional<int> layer = layerOf(item.first);
            return layer && *layer >= c.numLayers && *layer < c.numLayers + hf.numExtraLayers;
        });
    }
    if (c.tiedEmbeddings) {
        auto head = tensors.find("lm_head.weight");
        auto embedding = tensors.find("model.embed_tokens.weight");
        if (head != tensors.end()) {
            if (embedding == tensors.end() || !torch::equal(head->second, embedding->second))
                fail(
                    "{}: tensor 'lm_head.weight' differs from the embedding, but config.json "
                    "says tie_word_embeddings",
                    source);
            tensors.erase(head);
        }
    }

    std::map<std::string, std::vector<int64_t>> expectedByName(expected.begin(), expected.end());
    auto take = [&](const std::string& name, torch::IntArrayRef shape) {
        auto found = tensors.find(name);
        if (found == tensors.end()) fail("{}: tensor '{}' is missing", source, name);
        if (found->second.sizes() != shape)
            fail("{}: tensor '{}' has shape {}, config.json implies {}", source, name,
                 shapeText(found->second.sizes()), shapeText(shape));
        torch::ScalarType type = found->second.scalar_type();
        if (type != torch::kFloat32 && type != torch::kBFloat16 && type != torch::kFloat16)
            fail("{}: tensor '{}' is {}; weights are float32, bfloat16 or float16", source, name,
                 c10::toString(type));
        torch::Tensor tensor = std::move(found->second);
        tensors.erase(found);
        return tensor;
    };
    std::map<std::string, torch::Tensor> ours;
    for (const TensorLink& link : tensorLinks(c, c.family)) {
        torch::IntArrayRef shape = expectedByName.at(link.ours);
        if (link.perExpert()) {
            std::vector<torch::Tensor> experts;
            for (int64_t expert = 0; expert < shape[0]; ++expert)
                experts.push_back(take(link.hfName(expert), shape.slice(1)));
            ours[link.ours] = torch::stack(experts);
        } else {
            torch::Tensor tensor = take(link.hf, shape);
            bool permuted = link.count > 0 && hf.ropeInterleave;
            ours[link.ours] =
                permuted ? permuteRotaryRows(tensor, link, /*toInterleaved=*/false) : tensor;
        }
    }
    if (!tensors.empty())
        fail("{}: tensor '{}' has no place in a {} of this config.json", source,
             tensors.begin()->first, model_spec::hfArchitectureName(c.family));
    // Routers without a selection bias: Strata's starts at zero, as a fresh one does.
    for (const auto& [name, shape] : expected)
        if (!ours.contains(name) && isRouterBias(name)) ours[name] = torch::zeros(shape);
    return ours;
}

NamedTensors inModelOrder(std::map<std::string, torch::Tensor> tensors,
                          const model_spec::TensorShapes& expected, const std::string& source) {
    NamedTensors weights;
    for (const auto& [name, shape] : expected) {
        auto found = tensors.find(name);
        if (found == tensors.end()) fail("{}: tensor '{}' is missing", source, name);
        if (found->second.sizes() != torch::IntArrayRef(shape))
            fail("{}: tensor '{}' does not have the shape the model needs", source, name);
        weights.emplace_back(name, found->second.contiguous());
    }
    if (weights.size() != tensors.size())
        fail("{}: {} tensors are not part of this model", source, tensors.size() - weights.size());
    return weights;
}

}  // namespace strata::model
