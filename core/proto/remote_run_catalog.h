// The run history of a workspace on another host (ssh://host/path), through that host's worker,
// which keeps it from the workspace's run folders (HistoryService): what the Runs page of a
// remote workspace and `strata-cli runs --workspace ssh://...` show. The SSH login is the author
// an empty one stands for. Calls go through a WorkspaceLink: a dropped connection is made again,
// and an unreachable host fails calls at once for a while; a comment that met a drop is not sent
// again, since it could land twice. Runs are deleted and checkpoints exported on the host: its
// run folders would bring a deleted run back into its history.
#pragma once

#include "core/proto/protocol.h"
#include "core/proto/workspace_link.h"
#include "core/store/run_catalog.h"

namespace strata::proto {

class RemoteRunCatalog : public store::RunCatalog {
public:
    // Connects on the first call, not here.
    explicit RemoteRunCatalog(WorkerTarget target) : m_link(std::move(target)) {}

    std::string identity() override;
    std::vector<store::RunRecord> listRuns(const store::RunFilter& filter = {}) override;
    std::vector<store::DatasetRecord> datasets() override;
    std::vector<store::DatasetRecord> tokenizers() override;
    // SHARDS is the host's, inside the workspace.
    store::RecordedShards recordShards(const std::string& shards) override;
    store::RunRecord run(int64_t runId) override;
    std::vector<std::string> metricKeys(int64_t runId) override;
    std::vector<store::SeriesBucket> series(int64_t runId, const std::string& key, int64_t fromStep,
                                            int64_t toStep, int pixelWidth) override;
    std::vector<store::StepSample> sampleSteps(int64_t runId, const std::string& key,
                                               int64_t fromStep, int64_t toStep,
                                               int count) override;
    std::vector<store::CheckpointRow> checkpoints(int64_t runId) override;
    std::map<int64_t, std::vector<store::CheckpointRow>> checkpointsByRun() override;
    std::vector<store::LogRow> logs(int64_t runId, int64_t afterSeq, int limit) override;
    std::vector<int64_t> rolloutSteps(int64_t runId, int64_t afterStep) override;
    std::optional<store::RolloutRow> rollouts(int64_t runId, int64_t step) override;
    std::vector<store::ConfigDifference> diffConfigs(int64_t leftRunId, int64_t rightRunId,
                                                     bool allKeys = false) override;
    store::LineageItem lineage(int64_t runId) override;
    void setDetails(int64_t runId, const store::RunDetails& details) override;
    std::vector<store::RunComment> comments(int64_t runId) override;
    int64_t addComment(int64_t runId, const std::string& author, const std::string& body) override;
    void exportMetricsCsv(int64_t runId, const std::filesystem::path& out) override;
    bool isLocal() const override { return false; }
    // Throws common::Error saying to delete it on the host.
    void deleteRun(int64_t runId) override;

private:
    std::string call(RequestKind kind, HistoryRequest history);

    WorkspaceLink m_link;
};

}  // namespace strata::proto
