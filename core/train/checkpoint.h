// Training checkpoints: a model folder (core/model/model_folder.h) plus what resuming needs, in
//   runs/<run-id>/checkpoints/step-NNNNNNN/
//     model.toml, model.safetensors, tokenizer.json   the model, loadable on its own
//     optimizer.safetensors   AdamW's moments and step per parameter, and the RNG states
//     trainer_state.json      step, tokens seen, validation losses, the tokenizer's fingerprint
//     run.toml                the resolved run config
//     precision.safetensors   the loss scaler and FP8 amax histories, when the precision has any
//     NAME.safetensors        each module trained beside the model (a reward or value head)
// Tensors only in safetensors (validated on load, never pickle). A checkpoint is written to a
// staging folder, fsync'd and renamed (common::AtomicFolder), so a step-* folder is always whole.
// The data position is a function of the step (the sampling order is seeded), so the step is
// all the data loader needs to continue where it was.
#pragma once

#include "core/model/safetensors.h"
#include "core/model/transformer.h"
#include "core/run/run_config.h"

#include <torch/optim/adamw.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace strata::train {

struct TrainerState {
    int64_t step = 0;         // optimizer steps done
    int64_t tokens = 0;       // training tokens seen
    double valLoss = -1;      // the validation loss at this step; -1 when not evaluated
    double bestValLoss = -1;  // the lowest validation loss so far; -1 when none
    std::string tokenizerFingerprint;
    model::NamedTensors precision;  // PrecisionPolicy::state(); empty when it keeps none
};

// A module trained beside the model, saved with its buffers as NAME.safetensors; its optimizer
// state is saved under "NAME.<parameter>".
struct ExtraModule {
    std::string name;
    std::shared_ptr<torch::nn::Module> module;
};

// Copies NAME.safetensors of `folder` into the module: every parameter and buffer by its name and
// shape; a missing file or tensor is an error naming it.
void loadExtraModule(const std::filesystem::path& folder, const ExtraModule& extra);

std::filesystem::path checkpointFolder(const std::filesystem::path& runDir, int64_t step);

// Writes the checkpoint of state.step atomically and returns its folder.
std::filesystem::path saveCheckpoint(const std::filesystem::path& runDir,
                                     const run::RunConfig& config, model::Transformer& model,
                                     torch::optim::AdamW& optimizer, const TrainerState& state,
                                     const std::vector<ExtraModule>& extras = {});

// The complete checkpoint with the highest step, if any.
std::optional<std::filesystem::path> latestCheckpoint(const std::filesystem::path& runDir);

// Restores model, optimizer and RNG states from `folder` and returns the trainer state. Refuses,
// with an error naming the folder and the difference, a checkpoint whose model config differs
// from config.model or whose tokenizer fingerprint differs from `tokenizerFingerprint`; a missing
// or corrupt file is an error naming it. The model and optimizer may live on any device.
TrainerState loadCheckpoint(const std::filesystem::path& folder, const run::RunConfig& config,
                            const std::string& tokenizerFingerprint, model::Transformer& model,
                            torch::optim::AdamW& optimizer,
                            const std::vector<ExtraModule>& extras = {});

// Deletes all but the newest `keepLast` checkpoints and, with keepBest, the one with the lowest
// validation loss.
void pruneCheckpoints(const std::filesystem::path& runDir, int keepLast, bool keepBest);

}  // namespace strata::train
