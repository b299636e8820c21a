// FP8 training of a model (train.precision = "fp8"): while a forward scope installs it
// (precision_policy.h), every projection and expert weight that reaches model::project() or
// model::groupedProject() trains as an Fp8Layer of the [fp8] recipe; embeddings, the output
// head, routers and norms keep the rest of the model's precision. core/train/fp8.md explains
// the recipes and the emulation.
#pragma once

#include "core/model/matmul_override.h"
#include "core/model/safetensors.h"
#include "core/run/metrics_sink.h"
#include "core/train/fp8_linear.h"

#include <torch/nn/module.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace strata::train {

class Fp8Training : public model::MatmulOverride {
public:
    Fp8Training(const run::Fp8Config& config, torch::nn::Module& model, torch::Device device);

    // The FP8 product of a weight of the model (a layer is made on its first product); other
    // weights are declined.
    torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight_OI) override;
    torch::Tensor groupedLinear(const torch::Tensor& rows_AI, const torch::Tensor& weight_EOI,
                                const torch::Tensor& ends_E) override;

    // What each layer quantized this training step (one copy to the host), then ends the step.
    std::vector<run::Fp8LayerStats> finishStep();

    // The delayed-scaling histories, "<weight name>.<input|weight|grad>_amax_history", for the
    // checkpoint; empty for the dynamic recipes.
    model::NamedTensors state() const;
    // Restores state() before the first step; a history of another length, or of another
    // number of matrices than its layer (checked at the layer's first product), is an error
    // naming `source` and the tensor.
    void loadState(const model::NamedTensors& tensors, const std::string& source);

private:
    Fp8Layer* layerFor(const torch::Tensor& weight);

    run::Fp8Config m_config;
    torch::Device m_device;
    std::unordered_map<const void*, std::string> m_weightNames;  // by TensorImpl
    std::unordered_map<const void*, std::unique_ptr<Fp8Layer>> m_layers;
    std::vector<Fp8Layer*> m_layerOrder;  // as first used: the model's forward order
    model::NamedTensors m_pendingState;   // loaded before the layers' first products
    std::string m_pendingSource;          // the file they came from, for errors
};

}  // namespace strata::train
