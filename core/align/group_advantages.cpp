#include "core/align/group_advantages.h"

#include <torch/torch.h>

namespace strata::align {

torch::Tensor groupAdvantages(const torch::Tensor& rewards_NG, bool scaleByStd) {
    torch::Tensor centered = rewards_NG - rewards_NG.mean(1, /*keepdim=*/true);
    if (!scaleByStd) return centered;
    return centered / (rewards_NG.std(1, /*unbiased=*/true, /*keepdim=*/true) + 1e-4);
}

torch::Tensor aggregateLoss(const torch::Tensor& loss_BT, const torch::Tensor& mask_BT,
                            run::LossAggregation aggregation, int64_t maxTokens) {
    torch::Tensor masked = loss_BT * mask_BT;
    switch (aggregation) {
        case run::LossAggregation::Token:
            return masked.sum() / mask_BT.sum().clamp_min(1.0);
        case run::LossAggregation::DrGrpo:
            return masked.sum() / double(loss_BT.size(0) * maxTokens);
        default:
            return (masked.sum(1) / mask_BT.sum(1).clamp_min(1.0)).mean();
    }
}

}  // namespace strata::align
