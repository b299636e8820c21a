// A MetricsSink that keeps everything a trainer reports, for assertions; onStep runs after each
// step is recorded (tests stop or pause the trainer from it).
#pragma once

#include "core/run/metrics_sink.h"

#include <functional>
#include <string>
#include <vector>

struct RecordingSink : strata::run::MetricsSink {
    std::vector<strata::run::RunStarted> starts;
    std::vector<strata::run::StepMetrics> steps;
    std::vector<strata::run::EvalMetrics> evals;
    std::vector<std::pair<int64_t, std::string>> checkpoints;
    std::vector<strata::run::RunStatus> finished;
    std::vector<std::string> finishMessages;
    std::vector<std::pair<int64_t, bool>> pauses;
    std::vector<std::string> logs;
    std::vector<std::string> logLevels;  // of each of logs
    std::vector<std::string> rankLogs;   // "R level: message", from rank 0's RankEvents
    std::function<void(const strata::run::StepMetrics&)> onStep;

    void runStarted(const strata::run::RunStarted& info) override { starts.push_back(info); }
    void step(const strata::run::StepMetrics& metrics) override {
        steps.push_back(metrics);
        if (onStep) onStep(metrics);
    }
    void evaluated(const strata::run::EvalMetrics& metrics) override { evals.push_back(metrics); }
    void checkpointSaved(int64_t step, const std::string& path, double) override {
        checkpoints.emplace_back(step, path);
    }
    void log(const std::string& level, const std::string& message) override {
        logs.push_back(message);
        logLevels.push_back(level);
    }
    void pausedChanged(int64_t step, bool paused) override { pauses.emplace_back(step, paused); }
    void runFinished(int64_t, strata::run::RunStatus status, const std::string& message) override {
        finished.push_back(status);
        finishMessages.push_back(message);
    }
    void rankLog(int rank, const std::string& level, const std::string& message) override {
        rankLogs.push_back(std::to_string(rank) + " " + level + ": " + message);
    }
};
