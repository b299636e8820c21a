#include "core/train/optimizer_step.h"

#include "core/common/error.h"
#include "core/run/lr_schedule.h"

#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adamw.h>

#include <cmath>
#include <limits>
#include <vector>

namespace strata::train {

void OptimizerStep::apply(torch::optim::Optimizer& optimizer, run::StepMetrics& metrics,
                          int64_t step, const StepHooks& hooks) {
    const run::TrainConfig& t = m_config.train;
    const double maxNorm = t.gradClip > 0 ? t.gradClip : std::numeric_limits<double>::infinity();
    if (hooks.clipGradients) {
        metrics.gradNorm = hooks.clipGradients(maxNorm);
    } else {
        std::vector<torch::Tensor> parameters;
        for (const auto& group : optimizer.param_groups())
            for (const torch::Tensor& parameter : group.params())
                parameters.push_back(parameter);
        metrics.gradNorm = torch::nn::utils::clip_grad_norm_(parameters, maxNorm);
    }
    metrics.lr = run::learningRateAt(m_config.schedule, step);

    const bool nonFinite =
        !std::isfinite(metrics.loss) || (!hooks.overflowed && !std::isfinite(metrics.gradNorm));
    metrics.skipped = hooks.overflowed || nonFinite;
    if (metrics.skipped) {
        optimizer.zero_grad();
        if (nonFinite && ++m_skippedInARow >= t.maxSkippedSteps)
            common::fail(
                "step {}: the loss or gradient was not finite {} steps in a row (loss {}, "
                "gradient norm {}); lower optim.lr or check the data",
                step + 1, m_skippedInARow, metrics.loss, metrics.gradNorm);
        return;
    }
    m_skippedInARow = 0;
    for (auto& group : optimizer.param_groups())
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(metrics.lr);
    if (hooks.beforeStep) hooks.beforeStep();
    optimizer.step();
    if (hooks.afterStep) hooks.afterStep();
}

}  // namespace strata::train
