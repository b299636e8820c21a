// The reward model (Ouyang et al., 2022): the transformer with a scalar head on the hidden state
// of a response's last token. A reward run's checkpoint is a model folder plus
// reward_head.safetensors: the head's weight and bias, and the mean and standard deviation of its
// rewards over training responses at that step, so PPO and GRPO weigh a normalized score
// ((r - mean) / std) against the rule rewards. As PPO's critic the same head reads every position.
#pragma once

#include "core/align/response_batch.h"
#include "core/model/transformer.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

#include <filesystem>

namespace strata::align {

inline constexpr const char* kRewardHeadName = "reward_head";

class RewardHeadImpl : public torch::nn::Module {
public:
    explicit RewardHeadImpl(int64_t dModel);
    // One score per position: (B, T), float32.
    torch::Tensor forward(const torch::Tensor& hidden_BTD);
    // (raw - mean) / std with the saved statistics.
    torch::Tensor normalize(const torch::Tensor& raw) const;
    // Records the statistics of `raw`, a sample of rewards.
    void setStatistics(const torch::Tensor& raw);

    torch::nn::Linear score{nullptr};
    torch::Tensor mean, std;  // buffers
};
TORCH_MODULE(RewardHead);

// Each row's reward, the head on its last real token: (B), float32. `routerLoss`, when given,
// receives the MoE layers' balancing losses.
torch::Tensor lastTokenRewards(model::Transformer& body, RewardHead& head,
                               const ResponseBatch& batch, torch::Tensor* routerLoss = nullptr);

struct RewardModel {
    model::Transformer body{nullptr};
    RewardHead head{nullptr};
};

// A reward run's checkpoint, on the CPU; a folder without reward_head.safetensors is an error
// naming it.
RewardModel loadRewardModel(const std::filesystem::path& folder);

}  // namespace strata::align
