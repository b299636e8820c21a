// The run history as reviewers read and annotate it (the Runs page, its report, `strata-cli
// runs`), wherever the workspace is: LocalRunCatalog works on this machine's strata.db;
// proto::RemoteRunCatalog asks the worker of a workspace on another host, over SSH, which keeps
// that workspace's history from its run folders. An empty author means whoever the catalog is
// reached as: the login here, or the SSH login on the workspace's host.
#pragma once

#include "core/store/run_history.h"
#include "core/store/run_lineage.h"
#include "core/store/shard_records.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace strata::store {

// What reviewers write about a run besides comments: RunHistory::setTitle, setTags, setNotes.
struct RunDetails {
    std::string title;
    std::vector<std::string> tags;
    std::string notes;
};

class RunCatalog {
public:
    virtual ~RunCatalog() = default;

    // The author an empty one stands for.
    virtual std::string identity() = 0;
    virtual std::vector<RunRecord> listRuns(const RunFilter& filter = {}) = 0;
    // The shard sets and the tokenizers recorded with them (RunHistory::datasets, tokenizers).
    virtual std::vector<DatasetRecord> datasets() = 0;
    virtual std::vector<DatasetRecord> tokenizers() = 0;
    // Records a shard folder of the workspace and its tokenizer (recordShardSet).
    virtual RecordedShards recordShards(const std::string& shards) = 0;
    // The run with its config text; throws common::Error when there is no such run.
    virtual RunRecord run(int64_t runId) = 0;
    virtual std::vector<std::string> metricKeys(int64_t runId) = 0;
    // As RunHistory::series and sampleSteps.
    virtual std::vector<SeriesBucket> series(int64_t runId, const std::string& key,
                                             int64_t fromStep, int64_t toStep, int pixelWidth) = 0;
    virtual std::vector<StepSample> sampleSteps(int64_t runId, const std::string& key,
                                                int64_t fromStep, int64_t toStep, int count) = 0;
    virtual std::vector<CheckpointRow> checkpoints(int64_t runId) = 0;
    // Every run's checkpoints, by run id; the runs without any are left out. One read for what
    // would be a read per run.
    virtual std::map<int64_t, std::vector<CheckpointRow>> checkpointsByRun() = 0;
    // As RunHistory::logs, rolloutSteps and rollouts: what the Train page follows.
    virtual std::vector<LogRow> logs(int64_t runId, int64_t afterSeq, int limit) = 0;
    virtual std::vector<int64_t> rolloutSteps(int64_t runId, int64_t afterStep) = 0;
    virtual std::optional<RolloutRow> rollouts(int64_t runId, int64_t step) = 0;
    virtual std::vector<ConfigDifference> diffConfigs(int64_t leftRunId, int64_t rightRunId,
                                                      bool allKeys = false) = 0;
    // Where the run came from (run_lineage.h), read in its workspace.
    virtual LineageItem lineage(int64_t runId) = 0;
    virtual void setDetails(int64_t runId, const RunDetails& details) = 0;
    virtual std::vector<RunComment> comments(int64_t runId) = 0;
    virtual int64_t addComment(int64_t runId, const std::string& author,
                               const std::string& body) = 0;
    // Every metric of the run as CSV (RunHistory::exportMetricsCsv) into `out` on this machine.
    virtual void exportMetricsCsv(int64_t runId, const std::filesystem::path& out) = 0;
    // Whether runs can be deleted (deleteRun) and their checkpoints exported from this machine:
    // only where the workspace is this machine's.
    virtual bool isLocal() const = 0;
    virtual void deleteRun(int64_t runId) = 0;
};

class LocalRunCatalog : public RunCatalog {
public:
    // The history of `workspace` (its strata.db), which lineage reads files of.
    LocalRunCatalog(RunHistory& history, std::filesystem::path workspace)
        : m_history(history), m_workspace(std::move(workspace)) {}

    std::string identity() override;
    std::vector<RunRecord> listRuns(const RunFilter& filter = {}) override;
    std::vector<DatasetRecord> datasets() override { return m_history.datasets(); }
    std::vector<DatasetRecord> tokenizers() override { return m_history.tokenizers(); }
    RecordedShards recordShards(const std::string& shards) override;
    RunRecord run(int64_t runId) override;
    std::vector<std::string> metricKeys(int64_t runId) override;
    std::vector<SeriesBucket> series(int64_t runId, const std::string& key, int64_t fromStep,
                                     int64_t toStep, int pixelWidth) override;
    std::vector<StepSample> sampleSteps(int64_t runId, const std::string& key, int64_t fromStep,
                                        int64_t toStep, int count) override;
    std::vector<CheckpointRow> checkpoints(int64_t runId) override;
    std::map<int64_t, std::vector<CheckpointRow>> checkpointsByRun() override;
    std::vector<LogRow> logs(int64_t runId, int64_t afterSeq, int limit) override;
    std::vector<int64_t> rolloutSteps(int64_t runId, int64_t afterStep) override;
    std::optional<RolloutRow> rollouts(int64_t runId, int64_t step) override;
    std::vector<ConfigDifference> diffConfigs(int64_t leftRunId, int64_t rightRunId,
                                              bool allKeys = false) override;
    LineageItem lineage(int64_t runId) override;
    void setDetails(int64_t runId, const RunDetails& details) override;
    std::vector<RunComment> comments(int64_t runId) override;
    int64_t addComment(int64_t runId, const std::string& author, const std::string& body) override;
    void exportMetricsCsv(int64_t runId, const std::filesystem::path& out) override;
    bool isLocal() const override { return true; }
    void deleteRun(int64_t runId) override;

    RunHistory& history() { return m_history; }
    const std::filesystem::path& workspace() const { return m_workspace; }

private:
    RunHistory& m_history;
    std::filesystem::path m_workspace;
};

}  // namespace strata::store
