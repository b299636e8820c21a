// Runs of a workspace on another host (ssh://host/path): started and steered by that host's
// worker, in that workspace, and followed through the host's run history (HistoryService), which
// its worker catches up with the run folders. The desktop records nothing; the host's history is
// the only one. The remote workspace's counterpart of run_client.h, which records runs in this
// machine's history: the Train page of a remote workspace and `strata-cli runs start|pause|
// resume|stop --workspace ssh://...` use it.
#pragma once

#include "core/proto/protocol.h"
#include "core/proto/worker_target.h"
#include "core/store/run_history.h"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace strata::proto {

// Starts the run in the workspace and returns its id in the host's history, where it is tagged
// with `tags`.
int64_t startWorkspaceRun(const WorkerTarget& workspace, const RunSpec& spec,
                          const std::vector<std::string>& tags = {});

// Continues an ended run from its latest checkpoint, through the host's worker, and returns the
// run's last event before it: its follower waits past that (WorkspaceFollowOptions::afterSeq),
// since the host's history still holds the earlier end until the new events are caught up.
int64_t continueWorkspaceRun(const WorkerTarget& workspace, int64_t runId);

// Pause, Resume or Stop, through the host's worker.
void controlWorkspaceRun(const WorkerTarget& workspace, int64_t runId, RequestKind kind);

struct WorkspaceFollowOptions {
    std::chrono::milliseconds interval{1000};
    // The run as the host's history has it, after each read.
    std::function<void(const store::RunRecord&)> onProgress;
    // Each read that could not reach the host (reads wait twice as long after each, up to
    // 30 s).
    std::function<void(const std::string&)> onNotice;
    // Asked between reads: false stops following (the run keeps going).
    std::function<bool()> keepGoing;
    // An end counts only when recorded after this event (a continued run's earlier end).
    int64_t afterSeq = 0;
};

// Reads the run from the host's history every `interval` until it has ended (or keepGoing says
// stop) and returns its state then. A host that cannot be reached is tried again with a growing
// wait, for as long as keepGoing allows.
store::RunState followWorkspaceRun(const WorkerTarget& workspace, int64_t runId,
                                   const WorkspaceFollowOptions& options = {});

}  // namespace strata::proto
