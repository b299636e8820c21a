#include "core/train/training_loop.h"

#include <chrono>
#include <thread>

namespace strata::train {

namespace fs = std::filesystem;

TrainingLoop::TrainingLoop(const run::RunConfig& config, run::MetricsSink& sink)
    : m_loopConfig(config), m_sink(&sink) {}

void TrainingLoop::resumedFrom(const fs::path& checkpoint) {
    m_lastCheckpoint = checkpoint;
    m_lastCheckpointStep = m_state.step;
    if (m_state.valLoss >= 0) m_lastEvalStep = m_state.step;
}

int TrainingLoop::localRequests() const {
    return (m_paused ? kPauseRequested : 0) | (m_stop ? kStopRequested : 0) |
           (m_interrupt ? kInterruptRequested : 0);
}

run::RunStatus TrainingLoop::run() {
    const run::TrainConfig& t = m_loopConfig.train;
    m_sink->runStarted(startInfo());
    for (const auto& [level, note] : m_startNotes)
        m_sink->log(level, note);
    try {
        // The untrained model's validation pass is the baseline every later pass is read against.
        if (t.evalEvery > 0 && m_state.step == 0) recordEvaluation();
        // Only the agreed requests decide: a signal may land on one rank just after the ranks
        // agreed, and acting on it there alone would pair unlike exchanges. It is agreed on at
        // the next step.
        int requests = 0;
        while (m_state.step < t.maxSteps) {
            requests = agreedRequests(localRequests());
            if (requests == kPauseRequested) {
                m_paused = true;
                m_sink->pausedChanged(m_state.step, true);
                while (m_paused && !m_stop && !m_interrupt)
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                m_sink->pausedChanged(m_state.step, false);
                requests = agreedRequests(localRequests() & ~kPauseRequested);
            }
            if (requests & (kStopRequested | kInterruptRequested)) break;
            m_sink->step(trainStep());
            bool last = m_state.step == t.maxSteps;
            if (t.evalEvery > 0 && (m_state.step % t.evalEvery == 0 || last)) recordEvaluation();
            if (m_state.step % m_loopConfig.checkpoint.every == 0 || last) checkpointNow();
        }
        run::RunStatus status = requests & kInterruptRequested ? run::RunStatus::Interrupted
                                : requests & kStopRequested    ? run::RunStatus::Stopped
                                                               : run::RunStatus::Completed;
        if (status != run::RunStatus::Completed && m_state.step > m_lastCheckpointStep &&
            m_state.step > 0)
            checkpointNow();
        m_sink->runFinished(m_state.step, status, "");
        return status;
    } catch (const std::exception& error) {
        m_sink->runFinished(m_state.step, run::RunStatus::Failed, error.what());
        throw;
    }
}

void TrainingLoop::recordEvaluation() {
    run::EvalMetrics metrics = evaluate();
    metrics.step = m_state.step;
    m_lastEvalStep = m_state.step;
    m_state.valLoss = metrics.loss;
    if (m_state.bestValLoss < 0 || metrics.loss < m_state.bestValLoss)
        m_state.bestValLoss = metrics.loss;
    m_sink->evaluated(metrics);
}

void TrainingLoop::checkpointNow() {
    if (m_loopConfig.train.evalEvery > 0 && m_lastEvalStep != m_state.step) recordEvaluation();
    if (m_lastEvalStep != m_state.step) m_state.valLoss = -1;
    m_sink->checkpointStarting(m_state.step);
    fs::path folder = writeCheckpoint();
    if (m_ownsRunFolder)
        pruneCheckpoints(folder.parent_path().parent_path(), m_loopConfig.checkpoint.keepLast,
                         m_loopConfig.checkpoint.keepBest);
    m_lastCheckpoint = folder;
    m_lastCheckpointStep = m_state.step;
    m_sink->checkpointSaved(m_state.step,
                            fs::relative(folder, folder.parent_path().parent_path()).string(),
                            m_state.valLoss);
}

}  // namespace strata::train
