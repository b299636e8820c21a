// The run history of a workspace on another host (ssh://host/path), through that host's worker,
// which keeps it from the workspace's run folders (HistoryService): what the Runs page of a
// remote workspace and `strata-cli runs --workspace ssh://...` show. The SSH login is the author
// an empty one stands for. A connection that drops is made again on the next call, and a call
// that met the drop is sent once more on the new one, except a comment, which could land twice.
// When the host cannot be reached, calls throw ConnectionLost, and for a while after (2 s,
// doubling to a minute while it stays away) they throw it at once, without trying: a page that
// reads every second or two waits out one connect attempt per wait, not one per read. Runs are
// deleted and checkpoints exported on the host: its run folders would bring a deleted run back into
// its history.
#pragma once

#include "core/proto/protocol.h"
#include "core/proto/worker_connection.h"
#include "core/store/run_catalog.h"

#include <chrono>
#include <memory>

namespace strata::proto {

class RemoteRunCatalog : public store::RunCatalog {
public:
    // Connects on the first call, not here.
    explicit RemoteRunCatalog(WorkerTarget target) : m_target(std::move(target)) {}

    std::string identity() override;
    std::vector<store::RunRecord> listRuns(const store::RunFilter& filter = {}) override;
    store::RunRecord run(int64_t runId) override;
    std::vector<std::string> metricKeys(int64_t runId) override;
    std::vector<store::SeriesBucket> series(int64_t runId, const std::string& key, int64_t fromStep,
                                            int64_t toStep, int pixelWidth) override;
    std::vector<store::StepSample> sampleSteps(int64_t runId, const std::string& key,
                                               int64_t fromStep, int64_t toStep,
                                               int count) override;
    std::vector<store::CheckpointRow> checkpoints(int64_t runId) override;
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
    WorkerConnection& connection();
    std::string call(const Request& request, bool safeToRepeat = true);
    std::string call(RequestKind kind, HistoryRequest history);

    // Records a failed attempt: calls fail at once until m_retryAt.
    [[noreturn]] void unreachable(const ConnectionLost& lost);

    WorkerTarget m_target;
    std::unique_ptr<WorkerConnection> m_connection;
    std::chrono::steady_clock::time_point m_retryAt{};
    std::chrono::seconds m_wait{0};  // before the next try; 0 while the host answers
};

}  // namespace strata::proto
