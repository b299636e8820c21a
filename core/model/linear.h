// The projections of every Strata model: torch Linear layers without bias, as in Llama,
// Mixtral and DeepSeek, or with one where a family has it (Qwen2's query/key/value).
#pragma once

#include <torch/nn/modules/linear.h>

namespace strata::model {

inline torch::nn::Linear linearNoBias(int64_t in, int64_t out) {
    return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false));
}

inline torch::nn::Linear linearMaybeBias(int64_t in, int64_t out, bool bias) {
    return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(bias));
}

}  // namespace strata::model
