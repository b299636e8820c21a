// The trainer of a run config's stage: pretraining's (core/train) or an alignment stage's.
#pragma once

#include "core/train/training_loop.h"

#include <filesystem>
#include <memory>

namespace strata::align {

// Builds the trainer of config.stage; every problem with the config, data or models is a
// common::Error raised before anything is written.
std::unique_ptr<train::TrainingLoop> makeStageTrainer(const run::RunConfig& config,
                                                      const std::filesystem::path& runDir,
                                                      run::MetricsSink& sink, bool resume);

// Whether runDir holds a complete checkpoint for makeStageTrainer to resume from.
bool hasCheckpoint(const std::filesystem::path& runDir);

}  // namespace strata::align
