#include "core/align/policy_losses.h"

#include <torch/torch.h>

namespace strata::align {

torch::Tensor klPerToken(const torch::Tensor& logProbs_BT, const torch::Tensor& refLogProbs_BT,
                         run::KlEstimator estimator) {
    torch::Tensor logRatio = refLogProbs_BT - logProbs_BT;  // log(ref / pi)
    switch (estimator) {
        case run::KlEstimator::K2:
            return 0.5 * logRatio.square();
        case run::KlEstimator::K3:
            return logRatio.exp() - 1 - logRatio;
        default:
            return -logRatio;
    }
}

Advantages generalizedAdvantages(const torch::Tensor& rewards_BT, const torch::Tensor& values_BT,
                                 const torch::Tensor& mask_BT, double gamma, double lambda) {
    torch::Tensor rewards = rewards_BT * mask_BT, values = values_BT * mask_BT;
    int64_t length = rewards.size(1);
    std::vector<torch::Tensor> reversed;
    torch::Tensor next = torch::zeros_like(rewards.select(1, 0));
    torch::Tensor running = torch::zeros_like(next);
    for (int64_t t = length - 1; t >= 0; --t) {
        torch::Tensor delta = rewards.select(1, t) + gamma * next - values.select(1, t);
        // Past a response's end nothing accumulates: the mask restarts the recursion there.
        running = (delta + gamma * lambda * running) * mask_BT.select(1, t);
        reversed.push_back(running);
        next = values.select(1, t);
    }
    std::reverse(reversed.begin(), reversed.end());
    torch::Tensor advantages = torch::stack(reversed, 1);
    return {advantages, (advantages + values) * mask_BT};
}

torch::Tensor maskedMean(const torch::Tensor& values_BT, const torch::Tensor& mask_BT) {
    return (values_BT * mask_BT).sum() / mask_BT.sum().clamp_min(1.0);
}

torch::Tensor whiten(const torch::Tensor& values_BT, const torch::Tensor& mask_BT) {
    torch::Tensor mean = maskedMean(values_BT, mask_BT);
    torch::Tensor variance = maskedMean((values_BT - mean).square(), mask_BT);
    return (values_BT - mean) * torch::rsqrt(variance + 1e-8) * mask_BT;
}

SurrogateLoss clippedSurrogate(const torch::Tensor& logProbs_BT,
                               const torch::Tensor& oldLogProbs_BT,
                               const torch::Tensor& advantages_BT, double clip) {
    torch::Tensor ratio = (logProbs_BT - oldLogProbs_BT).exp();
    torch::Tensor unclipped = -advantages_BT * ratio;
    torch::Tensor clipped = -advantages_BT * ratio.clamp(1.0 - clip, 1.0 + clip);
    return {torch::max(unclipped, clipped), (clipped > unclipped).to(torch::kFloat32)};
}

torch::Tensor clippedValueLoss(const torch::Tensor& values_BT, const torch::Tensor& oldValues_BT,
                               const torch::Tensor& returns_BT, const torch::Tensor& mask_BT,
                               double clip) {
    torch::Tensor plain = (values_BT - returns_BT).square();
    if (clip <= 0) return 0.5 * maskedMean(plain, mask_BT);
    torch::Tensor clippedValues = oldValues_BT + (values_BT - oldValues_BT).clamp(-clip, clip);
    torch::Tensor clipped = (clippedValues - returns_BT).square();
    return 0.5 * maskedMean(torch::max(plain, clipped), mask_BT);
}

}  // namespace strata::align
