// `strata-cli datasets record|list`: the shard sets a workspace's runs train on, in its run
// history, here or on another host (store::recordShardSet does the recording).
#include "app/cli/commands.h"
#include "app/cli/run_access.h"
#include "app/cli/workspace.h"
#include "core/common/error.h"
#include "core/common/workspace_paths.h"
#include "core/proto/remote_run_catalog.h"
#include "core/store/run_history.h"

#include <fmt/format.h>

namespace strata::app {

namespace fs = std::filesystem;
using common::fail;

namespace {

int recordShards(store::RunCatalog& runs, const std::string& shards, const std::string& where) {
    store::RecordedShards recorded = runs.recordShards(shards);
    fmt::print(stderr, "recorded {} and its tokenizer {} in {}\n", recorded.shards.path,
               recorded.tokenizer.path, where);
    return 0;
}

int listDatasets(store::RunCatalog& runs) {
    fmt::print("{:<48} {:<18} {}\n", "DATASET", "FINGERPRINT", "COUNTS");
    for (const store::DatasetRecord& dataset : runs.datasets())
        fmt::print("{:<48} {:<18} {}\n", dataset.path, dataset.fingerprint, dataset.statsJson);
    for (const store::DatasetRecord& tokenizer : runs.tokenizers())
        fmt::print("{:<48} {:<18} {}\n", tokenizer.path, tokenizer.fingerprint,
                   tokenizer.statsJson);
    return 0;
}

// The action on the workspace's history, wherever it is.
int datasetsAction(store::RunCatalog& runs, const std::vector<std::string>& positionals,
                   const std::string& where) {
    if (positionals[0] == "record" && positionals.size() == 2)
        return recordShards(runs, positionals[1], where);
    if (positionals[0] == "list" && positionals.size() == 1) return listDatasets(runs);
    fail("usage: strata-cli datasets record SHARDS | list (got '{}')", positionals[0]);
}

}  // namespace

int runDatasets(const Args& args) {
    ArgParser parser("strata-cli datasets", "record SHARDS | list [--workspace WORKSPACE]",
                     "The shard sets and tokenizers in a workspace's run history. `record` "
                     "enters a shard folder and the tokenizer its manifest names, with their "
                     "fingerprints and counts; `list` prints them. On a workspace of another "
                     "host, SHARDS is a folder of that workspace.");
    parser.positional("ACTION", 1, 2, "record SHARDS, or list")
        .option("workspace", 'w', "WORKSPACE",
                "the workspace: a folder, or ssh://[user@]host[:port]/path (default "
                "~/.local/share/strata/sample-workspace)");
    addSshOptions(parser);
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    if (std::optional<proto::WorkerTarget> remote = remoteWorkspaceOf(*parsed)) {
        proto::RemoteRunCatalog runs(*remote);
        return datasetsAction(runs, parsed->positionals(), proto::remoteWorkspaceAddress(*remote));
    }
    fs::path workspace = workspaceOf(*parsed);
    store::RunHistory history(historyPath(workspace));
    store::LocalRunCatalog runs(history, workspace);
    return datasetsAction(runs, parsed->positionals(), historyPath(workspace).string());
}

}  // namespace strata::app
