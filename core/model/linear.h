// The projections of every Strata model: torch Linear layers without bias, as in Llama,
// Mixtral and DeepSeek.
#pragma once

#include <torch/nn/modules/linear.h>

namespace strata::model {

inline torch::nn::Linear linearNoBias(int64_t in, int64_t out) {
    return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false));
}

}  // namespace strata::model
