// AdamW's settings as the [optim] table sets them; core/train/optimizer.h builds the optimizer.
#pragma once

namespace strata::run {

struct OptimizerConfig {
    double lr = 3e-4;  // the schedule overwrites it every step
    double beta1 = 0.9;
    double beta2 = 0.95;
    double eps = 1e-8;
    double weightDecay = 0.1;
    bool operator==(const OptimizerConfig&) const = default;
};

}  // namespace strata::run
