// The router of a Mixture-of-Experts layer: scores every token against every routed expert and
// picks top-k. Scoring is softmax (Mixtral, Qwen3-MoE) or sigmoid (DeepSeek-V3); the k chosen
// weights are normalized to sum to 1 (unless a family says otherwise) and scaled by
// routedScaling. DeepSeek-V3 first narrows the choice to the experts of the best groups. Selection
// may add a per-expert bias that only steers the choice, never the weights: DeepSeek-V3's
// auxiliary-loss-free balancing, which nudges the bias of overloaded experts down after every step
// (updateBias). The Switch-style auxiliary loss and the router z-loss are returned for the trainer
// to add; a capacity factor drops the assignments an expert cannot take, in token order. With
// several ranks the load counts every rank's tokens (router_load_sum.h); the capacity limit stays
// per rank. N tokens, D model dim, E routed experts, K top-k.
#pragma once

#include "core/model_spec/model_config.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace strata::model {

struct RouterOutput {
    torch::Tensor topIdx_NK;     // chosen experts (int64)
    torch::Tensor topWeight_NK;  // their combine weights; 0 where the assignment was dropped
    torch::Tensor auxLoss;       // scalar, already scaled by its coefficient (0 when off)
    torch::Tensor zLoss;         // scalar, already scaled by its coefficient (0 when off)
    torch::Tensor load_E;  // share of the kept assignments each expert got (detached; all ranks')
    // Statistics as detached scalars on the router's device, so that routing never waits for the
    // device; the trainer copies a step's statistics to the host at once.
    torch::Tensor entropy;  // mean entropy of the routing distribution, in nats (float32)
    torch::Tensor dropped;  // assignments over capacity (int64)
};

class MoeRouterImpl : public torch::nn::Module {
public:
    MoeRouterImpl(int64_t dModel, const model_spec::MoeConfig& config);

    RouterOutput forward(const torch::Tensor& x_ND);
    // One step of auxiliary-loss-free balancing: experts above the mean load get their bias
    // lowered by biasUpdateSpeed, those below raised. No-op when the speed is 0.
    void updateBias(const torch::Tensor& load_E);

    torch::nn::Linear gate{nullptr};  // D -> E, no bias
    torch::Tensor bias_E;  // selection bias (a buffer: trained by updateBias, not by gradients)

private:
    // choice_NE with every expert outside the topKGroups best groups (by the sum of each group's
    // two best scores) set to -inf.
    torch::Tensor onlyBestGroups(const torch::Tensor& choice_NE) const;

    model_spec::MoeConfig m_config;
};
TORCH_MODULE(MoeRouter);

}  // namespace strata::model
