// The number of trainable values in a module, for the tests that hold modules to the cost model.
#pragma once

#include <torch/nn/module.h>

inline uint64_t parameterCount(torch::nn::Module& module) {
    uint64_t count = 0;
    for (const torch::Tensor& parameter : module.parameters())
        count += uint64_t(parameter.numel());
    return count;
}
