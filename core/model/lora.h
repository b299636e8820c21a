// LoRA (Hu et al., 2021): a frozen weight W0 plus a trained low-rank update,
//   y = x W0^T (+ bias) + (alpha / rank) (x A^T) B^T,
//   A: (rank, in) random,  B: (out, rank) zeros,
// so training starts from the model as it was. Adapters sit on every projection of the
// transformer blocks (attention, dense and shared-expert feed-forward) except the MoE routers;
// the embedding, norms, output head and routed experts stay frozen. The update is a side path of
// the projection (a MatmulOverride, matmul_override.h): no weight-sized W0 + B A ever exists, the
// base has no gradients and the optimizer sees only A and B. A model folder keeps the base
// weights in model.safetensors and the adapters in lora.safetensors, which loadModelFolder merges
// into the weights (W0 + scale B A, once), so generation, export and later stages see the
// fine-tuned model.
// I in, O out, R rank.
#pragma once

#include "core/model/matmul_override.h"
#include "core/model/transformer.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

#include <filesystem>
#include <optional>
#include <unordered_map>
#include <vector>

namespace strata::model {

// The adapters as a checkpoint's extra module: saved as lora.safetensors.
inline constexpr const char* kLoraName = "lora";
inline constexpr const char* kLoraFile = "lora.safetensors";

class LoraAdaptersImpl : public torch::nn::Module, public MatmulOverride {
public:
    // Freezes every parameter of `model` and adds adapters to its projections.
    LoraAdaptersImpl(Transformer& model, int rank, double alpha);

    // While alive on this thread, the adapted projections add the adapters' side path; an
    // override already installed (FP8) still computes the base product. Open one around every
    // forward of the model that should see the adapters.
    class Scope {
    public:
        explicit Scope(LoraAdaptersImpl& adapters);

    private:
        std::optional<MatmulOverrideScope> m_scope;
    };
    Scope scope() { return Scope(*this); }

    // MatmulOverride: x W0^T + scale (x A^T) B^T for an adapted weight, else what the override
    // below does with it.
    torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight_OI) override;
    torch::Tensor groupedLinear(const torch::Tensor& rows_AI, const torch::Tensor& weight_EOI,
                                const torch::Tensor& ends_E) override;
    std::vector<torch::Tensor> trainedWith(const torch::Tensor& weight_OI) const override;

private:
    struct Target {
        torch::Tensor a_RI, b_OR;
    };
    std::unordered_map<const c10::TensorImpl*, Target> m_targets;  // by the base weight W0
    torch::Tensor m_scale;              // alpha / rank, a buffer so that the file carries it
    MatmulOverride* m_below = nullptr;  // the override the scope found installed
};
TORCH_MODULE(LoraAdapters);

// Adds the adapters of `path` (a lora.safetensors) into the model's weights; a missing adapter or
// one that fits no projection is an error naming the file.
void mergeLora(Transformer& model, const std::filesystem::path& path);

}  // namespace strata::model
