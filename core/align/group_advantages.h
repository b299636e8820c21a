// GRPO's pieces (Shao et al., 2024, DeepSeekMath §4.1): each prompt's G responses are compared
// with each other instead of a value model. N prompts, G responses each, T tokens.
#pragma once

#include "core/run/stage_config.h"

#include <torch/types.h>

namespace strata::align {

// (r - mean of the group) / (std of the group + 1e-4), or without the division (Dr. GRPO's
// unbiased form) when scaleByStd is false; (N, G) -> (N, G).
torch::Tensor groupAdvantages(const torch::Tensor& rewards_NG, bool scaleByStd);

// Per-token losses (B, T) to one loss: Sequence, each response's masked mean then the mean over
// responses (the paper); Token, the masked mean over all tokens (DAPO); DrGrpo, the masked sum
// divided by B * maxTokens (Liu et al., 2025: no length bias).
torch::Tensor aggregateLoss(const torch::Tensor& loss_BT, const torch::Tensor& mask_BT,
                            run::LossAggregation aggregation, int64_t maxTokens);

}  // namespace strata::align
