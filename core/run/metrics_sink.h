// Where a trainer reports what happens: each step's metrics and router statistics, validation
// passes, checkpoints, log lines, and the start and end of the run. The run folder's event log
// (event_log.h), the console and, later, the worker protocol are sinks; a trainer reports to one
// MetricsSink and SinkFanOut passes everything on to several.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace strata::run {

// One MoE layer's routing over one optimizer step (averaged over its micro-batches).
struct LayerRouterStats {
    int layer = 0;             // block index in the model
    std::vector<double> load;  // share of routed assignments per expert; sums to 1
    std::vector<double> bias;  // the auxiliary-loss-free bias per expert (zeros when off)
    double entropy = 0;        // mean entropy of the routing distribution, in nats
    int64_t dropped = 0;       // assignments over capacity
    double balanceLoss = 0;    // the auxiliary load-balancing loss, coefficient applied
    double zLoss = 0;
};

// One FP8 layer (a projection or an experts' weight) over one optimizer step: the largest |value|
// quantized of each operand, the scale applied to it (the smallest of the step), and how many
// values were clamped to the format's largest (overflow) or became zero (underflow).
struct Fp8LayerStats {
    std::string name;  // the weight's parameter name
    double inputAmax = 0;
    double weightAmax = 0;
    double gradAmax = 0;
    double inputScale = 0;
    double weightScale = 0;
    double gradScale = 0;
    int64_t overflow = 0;
    int64_t underflow = 0;
};

struct NamedValue {
    std::string name;
    double value = 0;
};

// One response a PPO or GRPO step sampled, as the rollout inspector shows it.
struct SampledResponse {
    std::string prompt;
    std::string response;
    std::string reference;            // the task's answer; empty when it has none
    double reward = 0;                // the total, weights applied
    std::vector<NamedValue> parts;    // each weighted rule's score and "model", before weights
    std::optional<double> advantage;  // GRPO's advantage within the group
    std::vector<std::string> tokens;  // each response token as text (common::tokenLabel)
    std::vector<double> kl;           // per token, to the reference; empty without one
};

// Some of a step's rollouts, recorded for people to read (the `rollouts` event).
struct InspectedRollouts {
    std::vector<NamedValue> weights;  // the weight of each part the responses list
    std::string klEstimator;          // k1, k2 or k3; empty without a reference
    std::vector<SampledResponse> responses;
};

struct StepMetrics {
    int64_t step = 0;       // 1-based: the number of optimizer steps done
    int64_t tokens = 0;     // training tokens seen so far
    double loss = 0;        // mean cross-entropy of the step's tokens
    double routerLoss = 0;  // the MoE layers' auxiliary and z losses added to it
    double lr = 0;
    double gradNorm = 0;  // before clipping
    double stepSeconds = 0;
    double tokensPerSecond = 0;
    double mfu = -1;           // model FLOPs utilization in [0, 1]; -1 when the peak is unknown
    uint64_t memoryBytes = 0;  // peak device memory of the step (CUDA) or resident memory (CPU)
    bool skipped = false;      // the loss or gradient was not finite; weights left unchanged
    std::vector<LayerRouterStats> router;
    std::vector<Fp8LayerStats> fp8;  // train.precision = "fp8"
    // A stage's own metrics ("reward", "kl", "accuracy", ...) and the precision's ("loss_scale").
    std::vector<NamedValue> extra;
    InspectedRollouts rollouts;  // PPO and GRPO, on the steps that record some
};

struct EvalMetrics {
    int64_t step = 0;
    double loss = 0;
    double perplexity = -1;         // -1 where perplexity means nothing (reward models, PPO)
    int64_t tokens = 0;             // validation tokens scored
    std::vector<NamedValue> extra;  // a stage's own measures, recorded as val_<name>
};

struct RunStarted {
    int64_t step = 0;  // the step training starts from (nonzero when resuming)
    int64_t maxSteps = 0;
    std::string device;
    std::string precision;
    uint64_t parameters = 0;
    uint64_t activeParameters = 0;
    std::string resumedFrom;  // the checkpoint folder, or empty
    std::string configText;   // the resolved run config (run.toml)
};

enum class RunStatus { Completed, Stopped, Interrupted, Failed };
const char* runStatusName(RunStatus status);

class MetricsSink {
public:
    virtual ~MetricsSink() = default;
    virtual void runStarted(const RunStarted& info) = 0;
    virtual void step(const StepMetrics& metrics) = 0;
    virtual void evaluated(const EvalMetrics& metrics) = 0;
    // Before a checkpoint's folder is written: what a sink keeps must be durable by then, so a
    // checkpoint never holds steps its record lacks.
    virtual void checkpointStarting(int64_t /*step*/) {}
    virtual void checkpointSaved(int64_t step, const std::string& path, double valLoss) = 0;
    virtual void log(const std::string& level, const std::string& message) = 0;
    // Training paused (or went on again) before `step`, at someone's request.
    virtual void pausedChanged(int64_t step, bool paused) = 0;
    virtual void runFinished(int64_t step, RunStatus status, const std::string& message) = 0;
    // A line another rank of a multi-process run logged, passed on by rank 0 (rank_events.h).
    // By default it is logged here with the rank in front.
    virtual void rankLog(int rank, const std::string& level, const std::string& message);
};

class SinkFanOut : public MetricsSink {
public:
    explicit SinkFanOut(std::vector<MetricsSink*> sinks) : m_sinks(std::move(sinks)) {}
    void add(MetricsSink* sink) { m_sinks.push_back(sink); }
    void runStarted(const RunStarted& info) override;
    void step(const StepMetrics& metrics) override;
    void evaluated(const EvalMetrics& metrics) override;
    void checkpointStarting(int64_t step) override;
    void checkpointSaved(int64_t step, const std::string& path, double valLoss) override;
    void log(const std::string& level, const std::string& message) override;
    void pausedChanged(int64_t step, bool paused) override;
    void runFinished(int64_t step, RunStatus status, const std::string& message) override;
    void rankLog(int rank, const std::string& level, const std::string& message) override;

private:
    std::vector<MetricsSink*> m_sinks;
};

}  // namespace strata::run
