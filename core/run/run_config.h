// The configuration of a run, one TOML file with one table per concern:
//   [model]       the architecture (core/model_spec/model_config.h); an alignment stage takes it
//   from
//                 init.model, and a [model] table there must equal it
//   [data]        pretraining: the shard folder and the tokenizer it was built with; the
//                 alignment stages: the train file (conversations, preference pairs or tasks),
//                 an optional val file or the fraction of train held out
//   [train]       the stage, device, precision, batch shape, steps, evaluation, clipping, seed
//   [optim]       AdamW
//   [schedule]    learning-rate warmup and decay
//   [checkpoint]  how often, and how many to keep
//   [fp8] [fp16]  the low-precision modes' settings (precision_config.h)
//   and the alignment stage's own tables (core/run/stage_config.h)
// Every key has a documented default (defaultRunConfigText()); unknown keys and impossible values
// are errors naming the file, line and key. runConfigText() writes a resolved config back (the
// run folder's run.toml), and readRunConfig() reads that text to an equal RunConfig.
#pragma once

#include "core/model_spec/model_config.h"
#include "core/run/dist_config.h"
#include "core/run/lr_schedule.h"
#include "core/run/optimizer_config.h"
#include "core/run/precision_config.h"
#include "core/run/stage_config.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace strata::common {
class ConfigReader;
}

namespace strata::run {

struct DataConfig {
    std::filesystem::path shards;     // pretraining: a folder written by `strata-cli shard`
    std::filesystem::path tokenizer;  // the tokenizer.json the shards (or init.model) use
    std::filesystem::path train;      // alignment: conversations, preference pairs or tasks
    std::filesystem::path val;        // alignment: held-out examples; empty: a part of train
    double valFraction = 0.1;         // the share of train held out when val is empty
    bool operator==(const DataConfig&) const = default;
};

enum class Precision { Auto, Fp32, Bf16, Fp16, Fp8 };

struct TrainConfig {
    uint64_t seed = 1234;
    std::string device = "auto";  // "auto", "cpu", "cuda", "cuda:N"
    Precision precision = Precision::Auto;
    int threads = 0;           // CPU threads for LibTorch; 0 keeps its default
    int sequenceLength = 0;    // 0: model.context_length
    int microBatchSize = 8;    // sequences per forward/backward pass
    int gradAccumSteps = 1;    // micro-batches per optimizer step
    int64_t maxSteps = 1000;   // optimizer steps
    double gradClip = 1.0;     // global gradient-norm limit; 0 turns clipping off
    int64_t evalEvery = 100;   // steps between validation passes; 0 turns them off
    int evalBatches = 8;       // validation micro-batches per pass
    int64_t logEvery = 10;     // steps between console lines (events.jsonl gets every step)
    int maxSkippedSteps = 10;  // consecutive non-finite steps before the run fails
    double peakFlops = 0;      // the device's peak FLOP/s for MFU; 0: known GPUs only
    bool activationCheckpointing = false;  // recompute each block in the backward
    bool operator==(const TrainConfig&) const = default;
};

struct CheckpointConfig {
    int64_t every = 500;  // steps between checkpoints; the last step always gets one
    int keepLast = 3;     // the newest checkpoints kept (the best by validation loss is kept too)
    bool keepBest = true;
    bool operator==(const CheckpointConfig&) const = default;
};

struct RunConfig {
    Stage stage = Stage::Pretrain;
    model_spec::ModelConfig model;
    DataConfig data;
    TrainConfig train;
    OptimizerConfig optim;
    ScheduleConfig schedule;  // totalSteps is train.maxSteps and peakLr is optim.lr
    CheckpointConfig checkpoint;
    Fp8Config fp8;
    LossScaleConfig fp16;
    DistConfig dist;
    run::AlignConfig align;  // the tables of the alignment stages

    int resolvedSequenceLength() const {
        return train.sequenceLength > 0 ? train.sequenceLength : model.contextLength;
    }
    int64_t tokensPerStep() const {
        return int64_t(resolvedSequenceLength()) * train.microBatchSize * train.gradAccumSteps;
    }
    // Where rank `rank` of `worldSize` starts reading micro-batch `micro` of step `step` (0-based)
    // in the endless seeded order of sequences: its slice of micro_batch_size / worldSize of the
    // sequences one process would read, in rank order, so the ranks' slices never overlap.
    uint64_t firstSequence(int64_t step, int micro, int rank, int worldSize) const {
        const uint64_t microBatches =
            uint64_t(step) * uint64_t(train.gradAccumSteps) + uint64_t(micro);
        return microBatches * uint64_t(train.microBatchSize) +
               uint64_t(rank) * uint64_t(train.microBatchSize / worldSize);
    }
};

// Reads and validates the whole config, then calls reader.finish(). Every path goes through
// `resolvePath` (common::pathsRelativeTo(the config file's folder) for a file). An alignment stage
// reads init.model's model.toml.
RunConfig readRunConfig(common::ConfigReader& reader, const common::PathResolver& resolvePath);

// A run of `worldSize` processes splits every micro-batch evenly across them and, under expert
// parallelism, every MoE layer's routed experts; either not splitting is an error naming its key.
void requireRunSplitsAcross(const RunConfig& config, int worldSize);

// Reads a config file with `--set key=value` overrides applied first.
RunConfig loadRunConfig(const std::filesystem::path& path,
                        const std::vector<std::string>& overrides = {});

// The whole config as commented TOML with these values (paths absolute).
std::string runConfigText(const RunConfig& config);
// The default config of a stage; an alignment stage's has no [model] table (init.model's is used).
std::string defaultRunConfigText(Stage stage = Stage::Pretrain);

const char* precisionName(Precision precision);

}  // namespace strata::run
