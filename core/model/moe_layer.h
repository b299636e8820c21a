// A Mixture-of-Experts feed-forward block, top to bottom: route -> dispatch to the routed
// experts -> combine, plus the shared experts every token passes through (one SwiGLU block of
// numSharedExperts * F hidden units, as DeepSeek stores them).
// B batch, T time, D model dim, N = B * T tokens.
#pragma once

#include "core/model/moe_experts.h"
#include "core/model/moe_router.h"
#include "core/model/swiglu.h"
#include "core/model_spec/model_config.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace strata::model {

struct MoeOutput {
    torch::Tensor y_BTD;
    RouterOutput routing;
};

class MoeLayerImpl : public torch::nn::Module {
public:
    explicit MoeLayerImpl(const model_spec::ModelConfig& config);
    MoeOutput forward(const torch::Tensor& x_BTD);

    MoeRouter router{nullptr};
    MoeExperts experts{nullptr};
    SwiGlu shared{nullptr};  // null when numSharedExperts is 0
};
TORCH_MODULE(MoeLayer);

}  // namespace strata::model
