#include "core/run/rank_events.h"

#include <fmt/format.h>

namespace strata::run {

RankEvents::RankEvents(MetricsSink& next, int rank, Leave leave, Take take,
                       std::chrono::milliseconds interval)
    : m_next(next),
      m_rank(rank),
      m_leave(std::move(leave)),
      m_take(std::move(take)),
      m_interval(interval) {}

void RankEvents::runStarted(const RunStarted& info) {
    m_next.runStarted(info);
    passOnLeftLines(false);
}

void RankEvents::step(const StepMetrics& metrics) {
    m_next.step(metrics);
    passOnLeftLines(false);
}

void RankEvents::evaluated(const EvalMetrics& metrics) {
    m_next.evaluated(metrics);
    passOnLeftLines(false);
}

void RankEvents::checkpointStarting(int64_t step) {
    m_next.checkpointStarting(step);
}

void RankEvents::checkpointSaved(int64_t step, const std::string& path, double valLoss) {
    m_next.checkpointSaved(step, path, valLoss);
    passOnLeftLines(false);
}

void RankEvents::log(const std::string& level, const std::string& message) {
    m_next.log(level, message);
    leave(level, message);
    passOnLeftLines(false);
}

void RankEvents::pausedChanged(int64_t step, bool paused) {
    m_next.pausedChanged(step, paused);
    passOnLeftLines(false);
}

void RankEvents::runFinished(int64_t step, RunStatus status, const std::string& message) {
    if (m_rank != 0) {
        if (status == RunStatus::Failed) leave("error", message);
        m_next.runFinished(step, status, message);
        return;
    }
    passOnLeftLines(true);
    if (status == RunStatus::Failed && m_firstError) {
        // Rank 0's own error is most often the connection the failed rank broke.
        m_next.log("error", message);
        m_next.runFinished(step, status, *m_firstError);
        return;
    }
    m_next.runFinished(step, status, message);
}

void RankEvents::rankLog(int rank, const std::string& level, const std::string& message) {
    m_next.rankLog(rank, level, message);
}

void RankEvents::leave(const std::string& level, const std::string& message) {
    if (m_rank == 0 || m_broken) return;
    try {
        m_leave(level + '\t' + message);
    } catch (const std::exception& error) {
        m_broken = true;
        m_next.log("warning",
                   fmt::format("this rank's lines no longer reach rank 0: {}", error.what()));
    }
}

void RankEvents::passOnLeftLines(bool now) {
    if (m_rank != 0 || m_broken) return;
    const auto time = std::chrono::steady_clock::now();
    if (!now && time - m_lastTaken < m_interval) return;
    m_lastTaken = time;
    std::vector<RankText> texts;
    try {
        texts = m_take();
    } catch (const std::exception& error) {
        m_broken = true;
        m_next.log("warning",
                   fmt::format("the other ranks' lines can no longer be read: {}", error.what()));
        return;
    }
    for (const RankText& left : texts) {
        const size_t tab = left.text.find('\t');
        const std::string level = tab == std::string::npos ? "info" : left.text.substr(0, tab);
        const std::string message =
            tab == std::string::npos ? left.text : left.text.substr(tab + 1);
        if (level == "error" && !m_firstError)
            m_firstError = fmt::format("rank {}: {}", left.rank, message);
        m_next.rankLog(left.rank, level, message);
    }
}

}  // namespace strata::run
