// What `strata-cli runs` and `strata-cli attach` share: the options that say where a worker
// runs, finding a run in the history by id or name, and following a run with progress lines.
#pragma once

#include "app/cli/arg_parser.h"
#include "core/proto/worker_target.h"
#include "core/store/run_catalog.h"

#include <filesystem>
#include <string>
#include <vector>

namespace strata::app {

// --target, --identity, --ssh-config, --ssh-option, --remote-cli, --remote-workspace,
// --master-address.
void addTargetOptions(ArgParser& parser);
// A worker on this machine serving `workspace`, run from this strata-cli.
proto::WorkerTarget localWorkerTarget(const std::filesystem::path& workspace);
// Every --target (default local), in order (one run across several hosts), with --master-address on
// the first.
std::vector<proto::WorkerTarget> targetsOf(const ParsedArgs& parsed,
                                           const std::filesystem::path& workspace);
// The targets of a run in the history: the host it ran on, then its further hosts', with the
// options' ssh settings; a remote workspace, unless given, is the one holding that host's run
// folder (WORKSPACE/runs/<id>).
std::vector<proto::WorkerTarget> targetsOfRun(const ParsedArgs& parsed,
                                              const std::filesystem::path& workspace,
                                              const store::RunRecord& run);

// The run history of a workspace: WORKSPACE/strata.db.
std::filesystem::path historyPath(const std::filesystem::path& workspace);
// A run by its id in the history or its name; throws common::Error naming `text` otherwise.
int64_t findRun(store::RunCatalog& runs, const std::string& text);

// Follows the run into the history until it ends or Ctrl-C, printing progress to stderr;
// returns the exit code: 0 when it completed or stopped, 1 otherwise.
int followWithProgress(store::RunHistory& history, const proto::WorkerTarget& target,
                       int64_t runId);
// The same for a run of a workspace on another host, read from that host's history about once
// a second (workspace_runs.h).
// `afterSeq`: the last event of an earlier launch, whose end does not count.
int followWorkspaceRunWithProgress(const proto::WorkerTarget& workspace, int64_t runId,
                                   int64_t afterSeq = 0);

}  // namespace strata::app
