// The routed experts of a MoE layer: E SwiGLU blocks stored as stacked weights, applied by
// grouped dispatch — the (token, expert) assignments are sorted by expert so each expert's rows
// are contiguous, one grouped matrix product per weight runs every expert over its rows, then the
// outputs are weighted and added back per token.
// forwardDense() is the plain reference the tests compare with: every expert on every token,
// masked by the routing weights.
// N tokens, D model dim, E experts, F expert hidden size, K top-k, A = N * K assignments.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

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
    torch::Tensor expert(int64_t e, const torch::Tensor& x_MD) const;  // forwardDense's
};
TORCH_MODULE(MoeExperts);

}  // namespace strata::model
