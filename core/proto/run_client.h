// What the studio and `strata-cli attach` do with runs, over the worker protocol: start one on a
// target and record it in the run history, signal it, and follow it, storing each event once.
// Following survives the connection: when the worker or the SSH link goes away the follower
// reconnects with exponential backoff and subscribes after the last seq the history holds, so
// nothing is lost and nothing is stored twice. Qt-free; the GUI runs it on its store thread.
#pragma once

#include "core/proto/protocol.h"
#include "core/proto/worker_target.h"
#include "core/store/run_history.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace strata::proto {

// A run spec from a config file: its text, its stage (train.stage), its name as the run's name,
// and, for a run on this machine (`local`), its paths (the stage's data, init.model, ...) made
// absolute relative to the file's folder, as `strata-cli train` reads them. A remote run's relative
// paths stay relative to the remote workspace, where its data lives. Throws common::Error naming
// the file when it cannot be read or is not TOML.
RunSpec runSpecFromFile(const std::filesystem::path& config, bool local);

// Starts `spec` on `target`; returns the new run's id in the history.
int64_t startRun(store::RunHistory& history, const WorkerTarget& target, const RunSpec& spec,
                 const std::vector<std::string>& tags = {});
// Starts `spec` as one run across `hosts`, spec.numProcesses ranks on each (torchrun's nnodes):
// node 0 first, whose worker picks the rendezvous port, then every other host pointed at node 0
// (reachableAddress). Each host keeps the run in a folder of its own. The history records node 0
// as the run and the others as its nodes; following node 0 follows the whole run, as every
// rank's log lines reach its events. One host is startRun.
int64_t startRunAcrossHosts(store::RunHistory& history, const std::vector<WorkerTarget>& hosts,
                            const RunSpec& spec, const std::vector<std::string>& tags = {});
// Continues an ended run from its latest checkpoint, on the hosts it ran on: `hosts` are its
// host and then its nodes' (RunRecord::nodes), in order.
void resumeRun(store::RunHistory& history, const std::vector<WorkerTarget>& hosts, int64_t runId);
// Pause, Resume or Stop: pause and stop to node 0, whose ranks agree on them with the others;
// resume to every host of the run.
void controlRun(store::RunHistory& history, const std::vector<WorkerTarget>& hosts, int64_t runId,
                RequestKind kind);

struct FollowOptions {
    std::chrono::milliseconds firstBackoff{250};
    std::chrono::milliseconds maxBackoff{8000};
    // Batches are stored at least this often, and when this many events are waiting.
    std::chrono::milliseconds flushInterval{200};
    size_t flushEvents = 5000;
    // Each event as it arrives (console output); each reconnect notice.
    std::function<void(const WorkerMessage&)> onEvent;
    std::function<void(const std::string&)> onNotice;
    // Polled between events: false stops following (the run keeps going).
    std::function<bool()> keepGoing;
};

// Follows the run until its run_finished event is stored (or keepGoing says stop); returns the
// run's state in the history then.
store::RunState followRun(store::RunHistory& history, const WorkerTarget& target, int64_t runId,
                          const FollowOptions& options = {});

}  // namespace strata::proto
