// The trainer as a person at a terminal sees it: one line every log_every steps, each validation
// pass, each checkpoint and how the run ended, on stderr. events.jsonl keeps everything else.
#pragma once

#include "core/run/metrics_sink.h"

#include <cstdint>

namespace strata::train {

class ConsoleReporter : public run::MetricsSink {
public:
    ConsoleReporter(int64_t maxSteps, int64_t logEvery)
        : m_maxSteps(maxSteps), m_logEvery(logEvery) {}

    void runStarted(const run::RunStarted& info) override;
    void step(const run::StepMetrics& metrics) override;
    void evaluated(const run::EvalMetrics& metrics) override;
    void checkpointSaved(int64_t step, const std::string& path, double valLoss) override;
    void log(const std::string& level, const std::string& message) override;
    // Each rank prints its own lines; rank 0 does not print them again.
    void rankLog(int, const std::string&, const std::string&) override {}
    void pausedChanged(int64_t step, bool paused) override;
    void runFinished(int64_t step, run::RunStatus status, const std::string& message) override;

private:
    int64_t m_maxSteps;
    int64_t m_logEvery;
    int64_t m_firstStep = 0;
};

}  // namespace strata::train
