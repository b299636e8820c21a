// The loop every stage's trainer runs: steps until train.max_steps, a stop or an interrupt, with a
// validation pass before the first step and every eval_every steps, checkpoints every N steps,
// both at the end, and pause, stop and interrupt requests honoured between steps. A stage
// (pretraining's Pretrainer, the alignment trainers of core/align) supplies the step, the
// validation pass and the checkpoint.
//
// requestPause/Resume/Stop/Interrupt may be called from any thread or a signal handler; stop and
// interrupt end the run after the current step with a checkpoint.
#pragma once

#include "core/run/metrics_sink.h"
#include "core/run/run_config.h"
#include "core/train/checkpoint.h"

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace strata::train {

class TrainingLoop {
public:
    TrainingLoop(const run::RunConfig& config, run::MetricsSink& sink);
    virtual ~TrainingLoop() = default;

    // Trains until train.max_steps, a stop or an interrupt.
    run::RunStatus run();

    void requestPause() { m_paused = true; }
    void requestResume() { m_paused = false; }
    void requestStop() { m_stop = true; }
    void requestInterrupt() { m_interrupt = true; }

    int64_t step() const { return m_state.step; }
    // The checkpoint folder written last, if any.
    const std::optional<std::filesystem::path>& lastCheckpoint() const { return m_lastCheckpoint; }

protected:
    virtual run::RunStarted startInfo() = 0;
    // One optimizer step; advances m_state.
    virtual run::StepMetrics trainStep() = 0;
    // A validation pass at m_state.step; the loop records it in m_state.
    virtual run::EvalMetrics evaluate() = 0;
    // Writes the checkpoint of m_state.step and returns its folder.
    virtual std::filesystem::path writeCheckpoint() = 0;

    // After a resume: the checkpoint the state came from.
    void resumedFrom(const std::filesystem::path& checkpoint);
    // From now on the loop's events go to `sink` (which passes them on to the first one).
    void sendEventsThrough(run::MetricsSink& sink) { m_sink = &sink; }
    // A line logged once the run has started (what the data reading skipped, say).
    void noteAtStart(std::string message, std::string level = "info") {
        m_startNotes.emplace_back(std::move(level), std::move(message));
    }

    // The requests (kPauseRequested | ...) every process of the run acts on: a multi-process
    // stage combines all ranks' so that they pause, stop or interrupt at the same step.
    static constexpr int kPauseRequested = 1, kStopRequested = 2, kInterruptRequested = 4;
    virtual int agreedRequests(int requests) { return requests; }
    // False on the ranks of a multi-process run that do not write the run folder (all but rank
    // 0, or with a folder per host all but each host's first): they write no checkpoints and
    // prune none.
    bool m_ownsRunFolder = true;

    TrainerState m_state;

private:
    int localRequests() const;
    void recordEvaluation();
    void checkpointNow();

    const run::RunConfig& m_loopConfig;
    run::MetricsSink* m_sink;
    int64_t m_lastEvalStep = -1;
    int64_t m_lastCheckpointStep = -1;
    std::optional<std::filesystem::path> m_lastCheckpoint;
    std::vector<std::pair<std::string, std::string>> m_startNotes;  // level, message
    std::atomic<bool> m_paused{false};
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_interrupt{false};
};

}  // namespace strata::train
