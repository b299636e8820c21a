// The tail every training step ends with, pretraining and the alignment stages alike: clip the
// global gradient norm, skip a step whose loss or gradient is not finite (train.max_skipped_steps
// of them in a row fail the run), set the scheduled learning rate, and step AdamW. The hooks are
// what pretraining's ranks and precision add around it.
#pragma once

#include "core/run/metrics_sink.h"
#include "core/run/run_config.h"

#include <torch/optim/optimizer.h>

#include <functional>

namespace strata::train {

struct StepHooks {
    // The clipped global gradient norm; empty: clip_grad_norm_ over the optimizer's parameters.
    std::function<double(double maxNorm)> clipGradients;
    // fp16's loss scaler found an overflow: the step is skipped without counting as non-finite.
    bool overflowed = false;
    // ZeRO-1: drop the gradients this rank does not own before the step, share its update after.
    std::function<void()> beforeStep;
    std::function<void()> afterStep;
};

class OptimizerStep {
public:
    explicit OptimizerStep(const run::RunConfig& config) : m_config(config) {}

    // Step `step` (0-based) of the run, whose metrics.loss is set: fills metrics.gradNorm, lr and
    // skipped, and steps unless skipped (a skipped step's gradients are zeroed). Throws
    // common::Error when too many steps in a row were not finite.
    void apply(torch::optim::Optimizer& optimizer, run::StepMetrics& metrics, int64_t step,
               const StepHooks& hooks = {});

private:
    const run::RunConfig& m_config;
    int m_skippedInARow = 0;
};

}  // namespace strata::train
