// What every rank of a multi-process run says, in the run's one event stream. Ranks other than 0
// pass their log lines (start notes, warnings, the error they failed with) on through `leave`;
// rank 0 takes them through `take` whenever its sink is called (at most once an interval, and
// always before the run's end) and passes each on as rankLog(). So rank 0's events.jsonl, on
// whichever host it runs, holds every rank's lines with their rank; and when a rank's failure
// brought the run down, the run's end names that rank's error rather than the broken
// connection rank 0 saw. A sink in front of the rank's own sinks.
#pragma once

#include "core/run/metrics_sink.h"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace strata::run {

struct RankText {
    int rank;
    std::string text;
};

class RankEvents : public MetricsSink {
public:
    using Leave = std::function<void(const std::string& text)>;
    using Take = std::function<std::vector<RankText>()>;

    // Rank 0 calls `take`, the other ranks `leave`; either may throw common::Error, after which
    // the lines stay in this rank's own sinks only.
    RankEvents(MetricsSink& next, int rank, Leave leave, Take take,
               std::chrono::milliseconds interval = std::chrono::seconds(1));

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
    void leave(const std::string& level, const std::string& message);
    // Rank 0: passes on what the other ranks left, unless it did so less than an interval ago.
    void passOnLeftLines(bool now);

    MetricsSink& m_next;
    int m_rank;
    Leave m_leave;
    Take m_take;
    std::chrono::milliseconds m_interval;
    std::chrono::steady_clock::time_point m_lastTaken{};
    bool m_broken = false;                    // leaving or taking failed once: not tried again
    std::optional<std::string> m_firstError;  // "rank R: ...", the first error another rank left
};

}  // namespace strata::run
