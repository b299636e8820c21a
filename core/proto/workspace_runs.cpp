#include "core/proto/workspace_runs.h"

#include "core/common/error.h"
#include "core/proto/remote_run_catalog.h"
#include "core/proto/worker_connection.h"

#include <simdjson.h>

#include <thread>

namespace strata::proto {

namespace {

std::string runName(const std::string& summaryJson) {
    simdjson::dom::parser parser;
    std::string_view name;
    if (parser.parse(summaryJson)["run"].get(name))
        common::fail("the worker's reply has no \"run\": {:.200}", summaryJson);
    return std::string(name);
}

}  // namespace

int64_t startWorkspaceRun(const WorkerTarget& workspace, const RunSpec& spec,
                          const std::vector<std::string>& tags) {
    Request start;
    start.kind = RequestKind::Start;
    start.spec = spec;
    const std::string name = runName(WorkerConnection(workspace).call(start));
    // The host's history records the run when it is next caught up: this listing does it.
    RemoteRunCatalog runs(workspace);
    store::RunFilter filter;
    filter.nameContains = name;
    for (const store::RunRecord& run : runs.listRuns(filter)) {
        if (run.name != name) continue;
        if (!tags.empty()) runs.setDetails(run.id, {run.title, tags, run.notes});
        return run.id;
    }
    common::fail("{}: the run {} started but its workspace's history does not list it",
                 workspace.name(), name);
}

int64_t continueWorkspaceRun(const WorkerTarget& workspace, int64_t runId) {
    const store::RunRecord run = RemoteRunCatalog(workspace).run(runId);
    Request start;
    start.kind = RequestKind::Start;
    start.spec.resumeRun = run.name;
    WorkerConnection(workspace).call(start);
    return run.lastSeq;
}

void controlWorkspaceRun(const WorkerTarget& workspace, int64_t runId, RequestKind kind) {
    Request request;
    request.kind = kind;
    request.run = RemoteRunCatalog(workspace).run(runId).name;
    WorkerConnection(workspace).call(request);
}

store::RunState followWorkspaceRun(const WorkerTarget& workspace, int64_t runId,
                                   const WorkspaceFollowOptions& options) {
    constexpr std::chrono::milliseconds kLongestWait{30000};
    constexpr std::chrono::milliseconds kSlice{100};
    RemoteRunCatalog runs(workspace);
    store::RunState state = store::RunState::Created;
    store::RunFilter filter;  // the run, by its name
    std::chrono::milliseconds wait = options.interval;
    for (;;) {
        try {
            // Listing catches the host's history up with the run's events; reading does not.
            if (filter.nameContains.empty()) filter.nameContains = runs.run(runId).name;
            std::optional<store::RunRecord> now;
            for (store::RunRecord& run : runs.listRuns(filter))
                if (run.id == runId) now = std::move(run);
            if (!now)
                common::fail("{}: run {} is gone from the workspace's history", workspace.name(),
                             runId);
            state = now->state;
            if (options.onProgress) options.onProgress(*now);
            if (store::hasEnded(state) && now->lastSeq > options.afterSeq) return state;
            wait = options.interval;
        } catch (const ConnectionLost& lost) {
            // The catalog says when it tries the host again; the reads follow it.
            wait = std::min(2 * wait, kLongestWait);
            if (options.onNotice) options.onNotice(lost.what());
        }
        // In slices, so a follower told to stop lets go at once, even during a long wait.
        for (auto waited = std::chrono::milliseconds(0); waited < wait; waited += kSlice) {
            if (options.keepGoing && !options.keepGoing()) return state;
            std::this_thread::sleep_for(std::min(kSlice, wait - waited));
        }
    }
}

}  // namespace strata::proto
