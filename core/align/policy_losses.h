// The pieces of the policy-gradient losses PPO and GRPO share, over B responses of T tokens with
// a (B, T) float mask of the response tokens that count:
//   KL estimators per token (Schulman, "Approximating KL divergence"), r = ref / pi:
//     k1 = log pi - log ref,  k2 = (log r)^2 / 2,  k3 = r - 1 - log r (unbiased and >= 0)
//   GAE (Schulman et al., 2016): delta_t = r_t + gamma V_{t+1} - V_t, A_t = delta_t +
//     gamma lambda A_{t+1}, returns = A + V; V after the last token is 0
//   the clipped surrogate: max(-A ratio, -A clip(ratio, 1 - eps, 1 + eps)), ratio = pi / pi_old
//   the clipped value loss: max((V - R)^2, (clip(V, V_old +- eps) - R)^2) / 2
#pragma once

#include "core/run/stage_config.h"

#include <torch/types.h>

namespace strata::align {

torch::Tensor klPerToken(const torch::Tensor& logProbs_BT, const torch::Tensor& refLogProbs_BT,
                         run::KlEstimator estimator);

struct Advantages {
    torch::Tensor advantages_BT;
    torch::Tensor returns_BT;
};

Advantages generalizedAdvantages(const torch::Tensor& rewards_BT, const torch::Tensor& values_BT,
                                 const torch::Tensor& mask_BT, double gamma, double lambda);

// The mean over the masked entries.
torch::Tensor maskedMean(const torch::Tensor& values_BT, const torch::Tensor& mask_BT);
// Shifted and scaled to mean 0 and standard deviation 1 over the masked entries; 0 elsewhere.
torch::Tensor whiten(const torch::Tensor& values_BT, const torch::Tensor& mask_BT);

struct SurrogateLoss {
    torch::Tensor loss_BT;     // per token, unmasked
    torch::Tensor clipped_BT;  // 1 where the clipped branch was taken
};

SurrogateLoss clippedSurrogate(const torch::Tensor& logProbs_BT,
                               const torch::Tensor& oldLogProbs_BT,
                               const torch::Tensor& advantages_BT, double clip);

torch::Tensor clippedValueLoss(const torch::Tensor& values_BT, const torch::Tensor& oldValues_BT,
                               const torch::Tensor& returns_BT, const torch::Tensor& mask_BT,
                               double clip);

}  // namespace strata::align
