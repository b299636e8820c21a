// LoRA (Hu et al., 2021): a frozen weight W0 plus a trained low-rank update,
//   W = W0 + (alpha / rank) B A,   A: (rank, in) random,  B: (out, rank) zeros,
// so training starts from the model as it was. Adapters sit on every projection of the
// transformer blocks (attention, dense and shared-expert feed-forward) except the MoE routers;
// the embedding, norms, output head and routed experts stay frozen. A model folder keeps the base
// weights in model.safetensors and the adapters in lora.safetensors, which loadModelFolder merges
// into the weights, so generation, export and later stages see the fine-tuned model.
#pragma once

#include "core/model/transformer.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

#include <filesystem>
#include <vector>

namespace strata::model {

// The adapters as a checkpoint's extra module: saved as lora.safetensors.
inline constexpr const char* kLoraName = "lora";
inline constexpr const char* kLoraFile = "lora.safetensors";

class LoraAdaptersImpl : public torch::nn::Module {
public:
    // Freezes every parameter of `model` and adds adapters to its projections.
    LoraAdaptersImpl(Transformer& model, int rank, double alpha);

    // Sets each adapted projection's weight to W0 + scale B A, in the autograd graph of A and B;
    // call it before every forward of the model.
    void apply();

private:
    struct Target {
        torch::nn::Linear linear;
        torch::Tensor base;  // the projection's registered parameter, W0
        torch::Tensor a, b;
    };
    std::vector<Target> m_targets;
    torch::Tensor m_scale;  // alpha / rank, a buffer so that the file carries it
};
TORCH_MODULE(LoraAdapters);

// Adds the adapters of `path` (a lora.safetensors) into the model's weights; a missing adapter or
// one that fits no projection is an error naming the file.
void mergeLora(Transformer& model, const std::filesystem::path& path);

}  // namespace strata::model
