// The routed experts of a MoE layer: E SwiGLU blocks stored as stacked weights, applied by
// grouped dispatch — the (token, expert) assignments are sorted by expert so each expert runs one
// matrix product over its contiguous rows, then the outputs are weighted and added back per token.
// forwardDense() is the plain reference the tests compare with: every expert on every token,
// masked by the routing weights.
// N tokens, D model dim, E experts, F expert hidden size, K top-k, A = N * K assignments.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace strata::model {

class MoeExpertsImpl : public torch::nn::Module {
public:
    MoeExpertsImpl(int64_t numExperts, int64_t dModel, int64_t hidden);

    torch::Tensor forward(const torch::Tensor& x_ND, const torch::Tensor& topIdx_NK,
                          const torch::Tensor& topWeight_NK);
    torch::Tensor forwardDense(const torch::Tensor& x_ND, const torch::Tensor& topIdx_NK,
                               const torch::Tensor& topWeight_NK);

    torch::Tensor gate_EFD;  // per expert, as a Linear's weight (out, in)
    torch::Tensor up_EFD;
    torch::Tensor down_EDF;

private:
    // The experts' weights as per-expert views. One unbind per pass, not one index per expert:
    // backward then stacks the experts' gradients once instead of adding a full-size gradient
    // per expert (a measured 10-15% of a CPU training step).
    struct ExpertViews {
        std::vector<torch::Tensor> gate_FD, up_FD, down_DF;
    };
    ExpertViews expertViews() const;
    static torch::Tensor expert(const ExpertViews& views, int64_t e, const torch::Tensor& x_MD);
};
TORCH_MODULE(MoeExperts);

}  // namespace strata::model
