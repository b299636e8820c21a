#include "core/run/metrics_sink.h"

#include <fmt/format.h>

namespace strata::run {

const char* runStatusName(RunStatus status) {
    switch (status) {
        case RunStatus::Completed:
            return "completed";
        case RunStatus::Stopped:
            return "stopped";
        case RunStatus::Interrupted:
            return "interrupted";
        default:
            return "failed";
    }
}

void MetricsSink::rankLog(int rank, const std::string& level, const std::string& message) {
    log(level, fmt::format("rank {}: {}", rank, message));
}

void SinkFanOut::runStarted(const RunStarted& info) {
    for (MetricsSink* sink : m_sinks)
        sink->runStarted(info);
}
void SinkFanOut::step(const StepMetrics& metrics) {
    for (MetricsSink* sink : m_sinks)
        sink->step(metrics);
}
void SinkFanOut::evaluated(const EvalMetrics& metrics) {
    for (MetricsSink* sink : m_sinks)
        sink->evaluated(metrics);
}
void SinkFanOut::checkpointStarting(int64_t step) {
    for (MetricsSink* sink : m_sinks)
        sink->checkpointStarting(step);
}
void SinkFanOut::checkpointSaved(int64_t step, const std::string& path, double valLoss) {
    for (MetricsSink* sink : m_sinks)
        sink->checkpointSaved(step, path, valLoss);
}
void SinkFanOut::log(const std::string& level, const std::string& message) {
    for (MetricsSink* sink : m_sinks)
        sink->log(level, message);
}
void SinkFanOut::pausedChanged(int64_t step, bool paused) {
    for (MetricsSink* sink : m_sinks)
        sink->pausedChanged(step, paused);
}
void SinkFanOut::runFinished(int64_t step, RunStatus status, const std::string& message) {
    for (MetricsSink* sink : m_sinks)
        sink->runFinished(step, status, message);
}

void SinkFanOut::rankLog(int rank, const std::string& level, const std::string& message) {
    for (MetricsSink* sink : m_sinks)
        sink->rankLog(rank, level, message);
}

}  // namespace strata::run
