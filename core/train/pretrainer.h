// Pretraining: token shards in, a trained model and its checkpoints out.
//
// Each optimizer step trains on grad_accum_steps micro-batches of micro_batch_size sequences,
// drawn in the seeded order of data::PackedSequences (epochs continue seamlessly), so the data
// position is a function of the step alone. The step: forward under the precision policy,
// cross-entropy plus the routers' losses, backward, global-norm clipping, the learning rate of
// the schedule, AdamW, then the auxiliary-loss-free router biases move against the step's load.
// A step whose loss or gradient is not finite changes nothing and is counted; too many in a row
// fail the run (fp16's overflowing steps are skipped by the loss scaler and not counted). Every
// step reports to the MetricsSink; the TrainingLoop places validation passes and checkpoints. On
// the CPU a resumed run repeats the uninterrupted run's losses bit for bit: the checkpoint
// restores weights, AdamW's moments and steps, router biases, RNG states and the precision's
// state (loss scale, FP8 amax histories).
//
// Several processes (torchrun's WORLD_SIZE > 1) train one model data-parallel: every micro-batch
// is split evenly across the ranks, gradients are averaged by core/distributed's DataParallel while
// the backward pass runs, and the step's statistics and router loads are averaged too, so N ranks
// take the steps one process would take on the same global batch. Validation passes split their
// batches across the ranks. With dist.expert_parallel each rank holds a range of every MoE
// layer's experts instead of all of them (core/distributed/expert_parallel.h). Rank 0 writes the
// checkpoints (gathering ZeRO-1's sharded optimizer state and the spread experts first); every
// rank resumes from the same one, whatever the world size that wrote it.
#pragma once

#include "core/data/token_dataset.h"
#include "core/model/transformer.h"
#include "core/run/launch_environment.h"
#include "core/run/metrics_sink.h"
#include "core/run/rank_events.h"
#include "core/run/run_config.h"
#include "core/train/checkpoint.h"
#include "core/train/optimizer_step.h"
#include "core/train/precision_policy.h"
#include "core/train/training_loop.h"

#include <torch/optim/adamw.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

namespace strata::distributed {
class DataParallel;
class ExpertParallel;
class OptimizerShards;
class ProcessGroup;
}  // namespace strata::distributed

namespace strata::train {

class Pretrainer : public TrainingLoop {
public:
    // Checks the config, tokenizer and shards against each other, builds the model and optimizer
    // and, when `resume`, restores the latest checkpoint of runDir; every problem is a
    // common::Error naming the file or key, raised before any training.
    Pretrainer(run::RunConfig config, std::filesystem::path runDir, run::MetricsSink& sink,
               bool resume);
    ~Pretrainer() override;

    model::Transformer& model() { return m_model; }
    const torch::Device& device() const { return m_device; }

private:
    run::RunStarted startInfo() override;
    run::StepMetrics trainStep() override;
    run::EvalMetrics evaluate() override;
    std::filesystem::path writeCheckpoint() override;
    int agreedRequests(int requests) override;
    // With several ranks: joins them, checks they run the same config on the same data and
    // checkpoint, and sets up data parallelism (and expert parallelism, ZeRO-1) around the built
    // model.
    void joinRanks(const std::optional<std::filesystem::path>& checkpoint);
    // Whether `condition` holds on every rank, where ranks may differ (expert parallelism).
    bool onEveryRank(bool condition);
    // Averages `parts` (concatenated, one all-reduce) over the ranks; one rank keeps them.
    void averageOverRanks(std::vector<torch::Tensor>& parts);

    // What a step's micro-batches add up, on the device until the step ends.
    struct StepSums {
        torch::Tensor loss;
        torch::Tensor routerLoss;
        std::vector<torch::Tensor> load_E;  // per MoE layer: the tokens each expert took
        std::vector<torch::Tensor> stats;   // per MoE layer: entropy, dropped, balance, z-loss
    };
    // The step in four parts: forward and backward over this rank's share of every micro-batch;
    // the sums averaged over the ranks; the optimizer update (OptimizerStep, with fp16's
    // overflow, expert parallelism's clipping and ZeRO-1 as its hooks), which returns the step's
    // statistics on the host; the router biases moved against the step's load, and the routers'
    // statistics reported.
    StepSums accumulateMicroBatches();
    void averageOverRanks(StepSums& sums);
    std::vector<double> applyUpdate(const StepSums& sums, run::StepMetrics& metrics);
    void updateRouters(const StepSums& sums, const std::vector<double>& host,
                       run::StepMetrics& metrics);
    // Sequences first .. first + count - 1 of the endless seeded order, as (count, T + 1) tokens
    // on the device.
    torch::Tensor readSequences(const data::PackedSequences& sequences, uint64_t first,
                                int count) const;

    run::RunConfig m_config;
    // Which process of the run this is (torchrun's variables); a run of one process is rank 0 of 1.
    run::LaunchEnvironment m_launch;
    std::filesystem::path m_runDir;
    run::MetricsSink& m_sink;
    torch::Device m_device;
    PrecisionPolicy m_precision;
    std::string m_tokenizerFingerprint;
    std::unique_ptr<data::TokenDataset> m_trainData;
    std::unique_ptr<data::TokenDataset> m_valData;
    std::unique_ptr<data::PackedSequences> m_trainSequences;
    std::unique_ptr<data::PackedSequences> m_valSequences;
    model::Transformer m_model{nullptr};
    std::unique_ptr<torch::optim::AdamW> m_optimizer;
    std::unique_ptr<distributed::ProcessGroup> m_group;  // with several ranks only
    std::unique_ptr<distributed::DataParallel> m_dataParallel;
    std::unique_ptr<distributed::OptimizerShards> m_optimizerShards;  // with dist.zero1
    std::unique_ptr<distributed::ExpertParallel> m_expertParallel;    // with dist.expert_parallel
    std::unique_ptr<run::RankEvents> m_rankEvents;                    // with several ranks only
    std::string m_resumedFrom;
    OptimizerStep m_optimizerStep{m_config};
    double m_flopsPerToken = 0;
    double m_peakFlops = 0;
};

}  // namespace strata::train
