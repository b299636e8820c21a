// AdamW as the trainers build it: betas (0.9, 0.95), weight decay 0.1 on matrices only — norms'
// scales, biases and the embedding table are left undecayed, as in GPT-3, Llama and DeepSeek.
// The decision is by parameter name and shape, so it covers every module of core/model. The
// update runs as one fused kernel per parameter group (ATen's _fused_adamw_, on the CPU and on
// CUDA) instead of a handful of operators per parameter; the state stays LibTorch's
// AdamWParamState, so checkpoints and resumes see the usual optimizer.
#pragma once

#include "core/run/optimizer_config.h"

#include <torch/nn/module.h>
#include <torch/optim/adamw.h>

#include <memory>

namespace strata::train {

// True for parameters that get weight decay: matrices (and stacked expert matrices) outside the
// embedding.
bool isDecayed(const std::string& name, const torch::Tensor& parameter);

class FusedAdamW : public torch::optim::AdamW {
public:
    using torch::optim::AdamW::AdamW;
    torch::Tensor step(LossClosure closure = nullptr) override;
};

std::unique_ptr<torch::optim::AdamW> makeAdamW(torch::nn::Module& model,
                                               const run::OptimizerConfig& config);

}  // namespace strata::train
