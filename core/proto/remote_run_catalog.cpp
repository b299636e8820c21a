#include "core/proto/remote_run_catalog.h"

#include "core/common/error.h"
#include "core/proto/history_messages.h"
#include "core/store/metric_csv.h"

#include <fmt/format.h>

namespace strata::proto {

namespace {

HistoryRequest aboutRun(int64_t runId) {
    HistoryRequest history;
    history.run = runId;
    return history;
}

// `count` points of the series `key` over the steps [fromStep, toStep].
HistoryRequest aboutSteps(int64_t runId, const std::string& key, int64_t fromStep, int64_t toStep,
                          int count) {
    HistoryRequest history = aboutRun(runId);
    history.key = key;
    history.fromStep = fromStep;
    history.toStep = toStep;
    history.count = count;
    return history;
}

}  // namespace

std::string RemoteRunCatalog::call(RequestKind kind, HistoryRequest history) {
    Request request;
    request.kind = kind;
    request.history = std::move(history);
    return m_link.call(request);
}

std::string RemoteRunCatalog::identity() {
    const std::string login = m_link.login();
    if (login.empty())
        common::fail("{}: the worker there does not say who is logged in; update Strata there",
                     m_link.target().name());
    return login;
}

std::vector<store::RunRecord> RemoteRunCatalog::listRuns(const store::RunFilter& filter) {
    Request request;
    request.kind = RequestKind::HistoryRuns;
    request.runFilter = filter;
    return decodeRuns(m_link.call(request));
}

std::vector<store::DatasetRecord> RemoteRunCatalog::datasets() {
    Request request;
    request.kind = RequestKind::HistoryDatasets;
    return decodeDatasetRecords(m_link.call(request), "datasets");
}

std::vector<store::DatasetRecord> RemoteRunCatalog::tokenizers() {
    Request request;
    request.kind = RequestKind::HistoryTokenizers;
    return decodeDatasetRecords(m_link.call(request), "tokenizers");
}

store::RecordedShards RemoteRunCatalog::recordShards(const std::string& shards) {
    Request request;
    request.kind = RequestKind::HistoryRecordShards;
    request.files.path = shards;
    return decodeRecordedShards(m_link.call(request));
}

store::RunRecord RemoteRunCatalog::run(int64_t runId) {
    return decodeRun(call(RequestKind::HistoryRun, aboutRun(runId)));
}

std::vector<std::string> RemoteRunCatalog::metricKeys(int64_t runId) {
    return decodeMetricKeys(call(RequestKind::HistoryMetricKeys, aboutRun(runId)));
}

std::vector<store::SeriesBucket> RemoteRunCatalog::series(int64_t runId, const std::string& key,
                                                          int64_t fromStep, int64_t toStep,
                                                          int pixelWidth) {
    return decodeBuckets(
        call(RequestKind::HistorySeries, aboutSteps(runId, key, fromStep, toStep, pixelWidth)));
}

std::vector<store::StepSample> RemoteRunCatalog::sampleSteps(int64_t runId, const std::string& key,
                                                             int64_t fromStep, int64_t toStep,
                                                             int count) {
    return decodeSamples(
        call(RequestKind::HistorySamples, aboutSteps(runId, key, fromStep, toStep, count)));
}

std::map<int64_t, std::vector<store::CheckpointRow>> RemoteRunCatalog::checkpointsByRun() {
    Request request;
    request.kind = RequestKind::HistoryCheckpointsByRun;
    return decodeCheckpointsByRun(m_link.call(request));
}

std::vector<store::CheckpointRow> RemoteRunCatalog::checkpoints(int64_t runId) {
    return decodeCheckpoints(call(RequestKind::HistoryCheckpoints, aboutRun(runId)));
}

std::vector<store::LogRow> RemoteRunCatalog::logs(int64_t runId, int64_t afterSeq, int limit) {
    HistoryRequest history = aboutRun(runId);
    history.afterSeq = afterSeq;
    history.count = limit;
    return decodeLogs(call(RequestKind::HistoryLogs, history));
}

std::vector<int64_t> RemoteRunCatalog::rolloutSteps(int64_t runId, int64_t afterStep) {
    HistoryRequest history = aboutRun(runId);
    history.afterStep = afterStep;
    return decodeRolloutSteps(call(RequestKind::HistoryRolloutSteps, history));
}

std::optional<store::RolloutRow> RemoteRunCatalog::rollouts(int64_t runId, int64_t step) {
    HistoryRequest history = aboutRun(runId);
    history.step = step;
    return decodeRollouts(call(RequestKind::HistoryRollouts, history));
}

std::vector<store::ConfigDifference> RemoteRunCatalog::diffConfigs(int64_t leftRunId,
                                                                   int64_t rightRunId,
                                                                   bool allKeys) {
    HistoryRequest history = aboutRun(leftRunId);
    history.other = rightRunId;
    history.allKeys = allKeys;
    return decodeDifferences(call(RequestKind::HistoryDiff, history));
}

store::LineageItem RemoteRunCatalog::lineage(int64_t runId) {
    return decodeLineage(call(RequestKind::HistoryLineage, aboutRun(runId)));
}

void RemoteRunCatalog::setDetails(int64_t runId, const store::RunDetails& details) {
    HistoryRequest history = aboutRun(runId);
    history.details = details;
    call(RequestKind::HistoryDetails, history);
}

std::vector<store::RunComment> RemoteRunCatalog::comments(int64_t runId) {
    return decodeComments(call(RequestKind::HistoryComments, aboutRun(runId)));
}

int64_t RemoteRunCatalog::addComment(int64_t runId, const std::string& author,
                                     const std::string& body) {
    Request request;
    request.kind = RequestKind::HistoryComment;
    request.history = aboutRun(runId);
    request.history.author = author;
    request.history.body = body;
    return decodeAddedComment(m_link.call(request, /*safeToRepeat=*/false));
}

void RemoteRunCatalog::exportMetricsCsv(int64_t runId, const std::filesystem::path& out) {
    run(runId);  // an unknown run is an error, as here, not an empty file
    store::writeMetricsCsv(
        metricKeys(runId),
        [&](const std::string& key, int64_t afterStep) {
            HistoryRequest history = aboutRun(runId);
            history.key = key;
            history.afterStep = afterStep;
            history.count = store::kMetricRowsPerPage;
            return decodeMetricRows(call(RequestKind::HistoryMetricRows, history), key);
        },
        out);
}

void RemoteRunCatalog::deleteRun(int64_t runId) {
    common::fail(
        "run {}: runs are deleted from a workspace of this machine; the run folders on {} would "
        "bring it back into their history",
        runId, m_link.target().name());
}

}  // namespace strata::proto
