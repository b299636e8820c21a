// `strata-cli worker --stdio`: the process the studio and `strata-cli attach` talk to, locally
// as a child or remotely through ssh. It serves the protocol of docs/protocol.md on stdin and
// stdout; its runs are detached and keep training when it exits.
#include "app/cli/commands.h"
#include "app/cli/workspace.h"
#include "core/common/error.h"
#include "core/proto/worker.h"

#include <filesystem>

#include <unistd.h>

namespace strata::app {

namespace fs = std::filesystem;

int runWorker(const Args& args) {
    ArgParser parser(
        "strata-cli worker", "--stdio [--workspace DIR]",
        "Serves the worker protocol (docs/protocol.md) on stdin and stdout until stdin ends.\n"
        "Runs it starts are detached: they go on when the worker exits, and a later worker\n"
        "lists them and streams their events again.");
    parser.flag("stdio", 0, "speak the protocol on stdin and stdout (the only transport)")
        .option("workspace", 'w', "DIR",
                "the workspace runs live in; requests may name only "
                "paths inside it (default: the sample workspace)");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    if (!parsed->flag("stdio")) common::fail("--stdio is required: it is the only transport");
    fs::path workspace = workspaceOf(*parsed);
    fs::create_directories(workspace);

    proto::WorkerOptions options;
    options.workspace = workspace;
    options.cli = fs::read_symlink("/proc/self/exe");
    options.strataVersion = STRATA_VERSION;
    options.capabilitiesJson = workerCapabilitiesJson();
    proto::serveWorker(STDIN_FILENO, STDOUT_FILENO, options);
    return 0;
}

}  // namespace strata::app
