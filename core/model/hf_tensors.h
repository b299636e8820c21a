// A model's tensors under their Hugging Face names, both ways, for every family hf_config.h
// reads. Exports use the per-expert layout that DeepSeek's, Qwen's and Mistral's own checkpoints
// use (model.layers.N.mlp.experts.E.gate_proj.weight, ...block_sparse_moe.experts.E.w1.weight);
// imports also take transformers 5's fused expert tensors (experts.gate_up_proj, down_proj).
// Values are moved, never changed, except DeepseekV3's rotary rows: Strata rotates the half-split
// pairs (i, i + Dr/2), DeepSeek's checkpoints store the pairs interleaved (2i, 2i + 1), so the
// rotary rows of the query projection and of kv_a_proj_with_mqa are permuted on the way out and
// back. Every mapping is exact: export then import gives the same tensors bit for bit.
#pragma once

#include "core/model/safetensors.h"
#include "core/model_spec/hf_config.h"
#include "core/model_spec/model_shapes.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace strata::model {

// modelState() of a model of `config` -> the tensors of `family`, in layer order. Throws
// common::Error when a tensor has no place there (Mixtral has no router bias, so a nonzero one is
// refused, naming it).
NamedTensors toHfTensors(const model_spec::ModelConfig& config, model_spec::ModelFamily family,
                         const NamedTensors& state);

// The tensors of a Hugging Face folder -> Strata's names. `expected` is modelTensorShapes() of
// hf.config: the tensors are checked against the config before any model exists. A tensor that
// is missing, of the wrong shape or has no place in the model is a common::Error naming `source`
// and the Hugging Face name. Tensors of
// multi-token-prediction layers are left out; lm_head.weight of a tied model must equal the
// embedding.
std::map<std::string, torch::Tensor> fromHfTensors(const model_spec::HfModelConfig& hf,
                                                   std::map<std::string, torch::Tensor> tensors,
                                                   const model_spec::TensorShapes& expected,
                                                   const std::string& source);

// (N, rest) of a per-layer tensor name "<prefix>N.rest" ("model.layers.3.mlp...",
// "blk.3.ffn_up.weight"); nullopt for any other name.
std::optional<std::pair<int, std::string_view>> splitLayerName(std::string_view name,
                                                               std::string_view prefix);

// fromHfTensors()'s tensors in the order of `expected` (modelTensorShapes()), each contiguous;
// a tensor missing, of another shape or left over is a common::Error naming `source`.
NamedTensors inModelOrder(std::map<std::string, torch::Tensor> tensors,
                          const model_spec::TensorShapes& expected, const std::string& source);

}  // namespace strata::model
