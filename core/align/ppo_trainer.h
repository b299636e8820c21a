// PPO (Schulman et al., 2017) for language models, as in InstructGPT and TRL: each step samples
// one response for each of train.micro_batch_size prompts with the policy from init.model,
// rewards it (rollout_trainer.h) at its last token, and charges the KL to the frozen reference
// per token (as a reward penalty, or as a loss term). GAE over the value function's estimates
// gives advantages (whitened) and returns; then ppo.epochs passes over ppo.minibatches shuffled
// minibatches take one optimizer step each on the clipped surrogate, the clipped value loss
// (weighted by value_coef) and the entropy bonus. The value function is a linear head on the
// policy's hidden states, or a trainable copy of the reward model (ppo.value_model).
#pragma once

#include "core/align/kl_controller.h"
#include "core/align/rollout_trainer.h"

#include <torch/nn/modules/linear.h>

namespace strata::align {

class PpoTrainer : public RolloutTrainer {
public:
    PpoTrainer(run::RunConfig config, std::filesystem::path runDir, run::MetricsSink& sink,
               bool resume);

private:
    run::StepMetrics trainStep() override;

    struct Forward {
        torch::Tensor logProbs_BT;  // (B, T - 1)
        torch::Tensor entropy_BT;   // (B, T - 1): of the distribution each token was drawn from
        torch::Tensor values_BT;    // (B, T - 1): the value of the state before each token
    };
    Forward forward(const torch::Tensor& tokens_BT);

    torch::nn::Linear m_valueHead{nullptr};  // ppo.value_model = "head"
    std::optional<RewardModel> m_critic;     // ppo.value_model = "reward_model"
    KlController m_kl{nullptr};
};

}  // namespace strata::align
