#include "core/store/run_catalog.h"

#include "core/common/error.h"
#include "core/common/login_name.h"

namespace strata::store {

std::string LocalRunCatalog::identity() {
    std::string login = common::loginName();
    if (login.empty()) common::fail("no login name to write as; name the author");
    return login;
}

std::vector<RunRecord> LocalRunCatalog::listRuns(const RunFilter& filter) {
    return m_history.listRuns(filter);
}

RunRecord LocalRunCatalog::run(int64_t runId) {
    return m_history.run(runId);
}

std::vector<std::string> LocalRunCatalog::metricKeys(int64_t runId) {
    return m_history.metricKeys(runId);
}

std::vector<SeriesBucket> LocalRunCatalog::series(int64_t runId, const std::string& key,
                                                  int64_t fromStep, int64_t toStep,
                                                  int pixelWidth) {
    return m_history.series(runId, key, fromStep, toStep, pixelWidth);
}

std::vector<StepSample> LocalRunCatalog::sampleSteps(int64_t runId, const std::string& key,
                                                     int64_t fromStep, int64_t toStep, int count) {
    return m_history.sampleSteps(runId, key, fromStep, toStep, count);
}

std::vector<CheckpointRow> LocalRunCatalog::checkpoints(int64_t runId) {
    return m_history.checkpoints(runId);
}

RecordedShards LocalRunCatalog::recordShards(const std::string& shards) {
    return recordShardSet(m_history, shards, m_workspace);
}

std::map<int64_t, std::vector<CheckpointRow>> LocalRunCatalog::checkpointsByRun() {
    std::map<int64_t, std::vector<CheckpointRow>> byRun;
    RunFilter every;
    every.limit = 0;
    for (const RunRecord& run : m_history.listRuns(every))
        if (std::vector<CheckpointRow> found = m_history.checkpoints(run.id); !found.empty())
            byRun.emplace(run.id, std::move(found));
    return byRun;
}

std::vector<LogRow> LocalRunCatalog::logs(int64_t runId, int64_t afterSeq, int limit) {
    return m_history.logs(runId, afterSeq, limit);
}

std::vector<int64_t> LocalRunCatalog::rolloutSteps(int64_t runId, int64_t afterStep) {
    return m_history.rolloutSteps(runId, afterStep);
}

std::optional<RolloutRow> LocalRunCatalog::rollouts(int64_t runId, int64_t step) {
    return m_history.rollouts(runId, step);
}

std::vector<ConfigDifference> LocalRunCatalog::diffConfigs(int64_t leftRunId, int64_t rightRunId,
                                                           bool allKeys) {
    return m_history.diffConfigs(leftRunId, rightRunId, allKeys);
}

LineageItem LocalRunCatalog::lineage(int64_t runId) {
    return runLineage(m_history, runId, m_workspace);
}

void LocalRunCatalog::setDetails(int64_t runId, const RunDetails& details) {
    m_history.setTitle(runId, details.title);
    m_history.setTags(runId, details.tags);
    m_history.setNotes(runId, details.notes);
}

std::vector<RunComment> LocalRunCatalog::comments(int64_t runId) {
    return m_history.comments(runId);
}

int64_t LocalRunCatalog::addComment(int64_t runId, const std::string& author,
                                    const std::string& body) {
    return m_history.addComment(runId, author.empty() ? identity() : author, body);
}

void LocalRunCatalog::exportMetricsCsv(int64_t runId, const std::filesystem::path& out) {
    m_history.exportMetricsCsv(runId, out);
}

void LocalRunCatalog::deleteRun(int64_t runId) {
    m_history.deleteRun(runId);
}

}  // namespace strata::store
