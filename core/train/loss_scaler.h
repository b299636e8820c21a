// FP16's dynamic loss scaling (train.precision = "fp16"), as torch.amp's GradScaler: the loss is
// multiplied by the scale before backward so small gradients survive fp16; unscale() divides the
// gradients back and says whether any is not finite. Such a step is skipped and the scale
// multiplied by backoff_factor; growth_interval good steps in a row multiply it by
// growth_factor. The state is two numbers, saved with each checkpoint.
#pragma once

#include "core/run/precision_config.h"

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace strata::train {

class LossScaler {
public:
    explicit LossScaler(const run::LossScaleConfig& config);

    double scale() const { return m_scale; }
    int growthTracker() const { return m_goodSteps; }
    int64_t skippedSteps() const { return m_skippedSteps; }

    torch::Tensor scaled(const torch::Tensor& loss) const { return loss * m_scale; }
    // Divides every gradient by the scale; false when one holds an infinity or NaN.
    bool unscale(const std::vector<torch::Tensor>& parameters) const;
    // After the step: `finite` is unscale()'s answer.
    void update(bool finite);

    void restore(double scale, int growthTracker, int64_t skippedSteps);

private:
    run::LossScaleConfig m_config;
    double m_scale;
    int m_goodSteps = 0;
    int64_t m_skippedSteps = 0;
};

}  // namespace strata::train
