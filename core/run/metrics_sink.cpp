#include "core/run/metrics_sink.h"

#include <fmt/format.h>

namespace strata::run {

// In the order of the enum's values.
constexpr const char* kRunStatusNames[] = {"completed", "stopped", "interrupted", "failed"};

const char* runStatusName(RunStatus status) {
    return kRunStatusNames[size_t(status)];
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
