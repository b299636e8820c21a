// `strata-cli attach RUN`: follows a run of the history (started here or on a remote host) into
// the workspace's run history from the last event it holds, until the run ends; on a workspace
// of another host, follows it in that host's history. Ctrl-C detaches; the run goes on.
#include "app/cli/commands.h"
#include "app/cli/run_access.h"
#include "app/cli/workspace.h"
#include "core/proto/remote_run_catalog.h"

namespace strata::app {

int runAttach(const Args& args) {
    ArgParser parser("strata-cli attach", "RUN [--workspace DIR] [ssh options]",
                     "Streams a run's events into the run history (WORKSPACE/strata.db)\n"
                     "from where it left off, reconnecting when the connection drops, until\n"
                     "the run ends. RUN is its id or name (strata-cli runs list).");
    parser.positional("RUN", 1, 1, "the run's id or name")
        .option("workspace", 'w', "WORKSPACE",
                "the workspace whose history holds the run: a folder, or "
                "ssh://[user@]host[:port]/path, whose host's history is followed");
    addTargetOptions(parser);
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    // A workspace of another host keeps its history itself: the run is followed there.
    if (std::optional<proto::WorkerTarget> remote = remoteWorkspaceOf(*parsed)) {
        proto::RemoteRunCatalog runs(*remote);
        return followWorkspaceRunWithProgress(*remote, findRun(runs, parsed->positionals()[0]));
    }
    std::filesystem::path workspace = workspaceOf(*parsed);
    store::RunHistory history(historyPath(workspace));
    store::LocalRunCatalog runs(history, workspace);
    int64_t runId = findRun(runs, parsed->positionals()[0]);
    proto::WorkerTarget target = targetsOfRun(*parsed, workspace, history.run(runId))[0];
    return followWithProgress(history, target, runId);
}

}  // namespace strata::app
