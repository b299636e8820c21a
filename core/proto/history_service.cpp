#include "core/proto/history_service.h"

#include "core/common/workspace_paths.h"
#include "core/proto/event_ingest.h"
#include "core/proto/event_tail.h"
#include "core/proto/history_messages.h"
#include "core/store/workspace_files.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace strata::proto {

namespace {

// Events ingested in one transaction while catching a run up.
constexpr size_t kEventsPerBatch = 20000;

std::string fileText(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

store::RunHistory& HistoryService::history() {
    if (!m_history)
        m_history = std::make_unique<store::RunHistory>(common::historyFile(m_workspace));
    return *m_history;
}

void HistoryService::catchUp() {
    store::RunHistory& runs = history();
    for (const RunSummary& summary : m_registry.list()) {
        std::optional<store::RunRecord> recorded = runs.findRun("local", summary.id);
        // A Slurm job changes state (pending, running, ended) with no event to show for it.
        if (recorded && summary.job &&
            (recorded->jobId != summary.jobId || recorded->jobState != summary.job->text()))
            runs.setJob(recorded->id, summary.jobId, summary.job->text());
        if (recorded && recorded->lastSeq >= summary.lastSeq) continue;
        int64_t runId = 0;
        if (recorded) {
            runId = recorded->id;
        } else {
            store::NewRun run;
            run.name = summary.id;
            run.host = "local";
            run.createdBy = summary.startedBy;
            run.stage = summary.stage;
            run.configText = fileText(summary.runDir / "run.toml");
            run.runDir = summary.runDir.string();
            run.jobId = summary.jobId;
            runId = runs.createRun(run);
            if (summary.job) runs.setJob(runId, summary.jobId, summary.job->text());
        }
        EventTail tail(m_registry.eventsPath(summary.id), recorded ? recorded->lastSeq : 0);
        EventIngest ingest(runs, runId);
        std::vector<std::string> lines;
        while (tail.poll(lines, kEventsPerBatch) > 0) {
            for (const std::string& line : lines)
                ingest.add(decodeWorkerMessage(runEventMessage(summary.id, line)));
            ingest.flush();
            lines.clear();
        }
    }
}

std::string HistoryService::answer(const Request& request) {
    if (request.kind == RequestKind::HistoryRuns) {
        catchUp();
        return runsJson(history().listRuns(request.runFilter));
    }
    if (request.kind == RequestKind::HistoryDatasets)
        return datasetRecordsJson("datasets", history().datasets());
    if (request.kind == RequestKind::HistoryTokenizers)
        return datasetRecordsJson("tokenizers", history().tokenizers());
    if (request.kind == RequestKind::HistoryRecordShards) {
        const store::LocalWorkspaceFiles files(m_workspace, /*confined=*/true);
        return recordedShardsJson(
            store::recordShardSet(history(), files.resolve(request.files.path), files.address()));
    }
    // The run ids come from a history_runs reply, which caught the history up.
    store::LocalRunCatalog runs(history(), m_workspace);
    if (request.kind == RequestKind::HistoryCheckpointsByRun)
        return checkpointsByRunJson(runs.checkpointsByRun());
    const HistoryRequest& asked = request.history;
    switch (request.kind) {
        case RequestKind::HistoryRun:
            return runJson(runs.run(asked.run));
        case RequestKind::HistoryMetricKeys:
            return metricKeysJson(runs.metricKeys(asked.run));
        case RequestKind::HistorySeries:
            return bucketsJson(
                runs.series(asked.run, asked.key, asked.fromStep, asked.toStep, asked.count));
        case RequestKind::HistorySamples:
            return samplesJson(
                runs.sampleSteps(asked.run, asked.key, asked.fromStep, asked.toStep, asked.count));
        case RequestKind::HistoryMetricRows:
            runs.run(asked.run);  // an unknown run is an error, not an empty page
            return metricRowsJson(
                history().metricRows(asked.run, asked.key, asked.afterStep, asked.count));
        case RequestKind::HistoryCheckpoints:
            return checkpointsJson(runs.checkpoints(asked.run));
        case RequestKind::HistoryLogs:
            return logsJson(runs.logs(asked.run, asked.afterSeq, asked.count));
        case RequestKind::HistoryRolloutSteps:
            return rolloutStepsJson(runs.rolloutSteps(asked.run, asked.afterStep));
        case RequestKind::HistoryRollouts:
            return rolloutsJson(runs.rollouts(asked.run, asked.step));
        case RequestKind::HistoryDiff:
            return differencesJson(runs.diffConfigs(asked.run, asked.other, asked.allKeys));
        case RequestKind::HistoryLineage:
            return lineageJson(runs.lineage(asked.run));
        case RequestKind::HistoryDetails:
            runs.setDetails(asked.run, asked.details);
            return runJson(runs.run(asked.run));
        case RequestKind::HistoryComments:
            return commentsJson(runs.comments(asked.run));
        case RequestKind::HistoryComment:
            return addedCommentJson(runs.addComment(asked.run, asked.author, asked.body));
        default:
            throw ProtocolError(
                request.id, fmt::format("{} is not a history request", requestName(request.kind)));
    }
}

}  // namespace strata::proto
