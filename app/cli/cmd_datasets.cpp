// `strata-cli datasets record|list`: the shard sets a workspace's runs train on, in its run
// history. `record` enters a shard folder and the tokenizer its manifest names, each with the
// fingerprint that identifies its content and its counts, so a run's lineage reaches the data.
#include "app/cli/commands.h"
#include "app/cli/run_access.h"
#include "app/cli/workspace.h"
#include "core/common/error.h"
#include "core/common/workspace_paths.h"
#include "core/data/token_shard.h"
#include "core/store/run_history.h"

#include <fmt/format.h>
#include <simdjson.h>

namespace strata::app {

namespace fs = std::filesystem;
using common::fail;

namespace {

int recordShards(const fs::path& shards, const fs::path& workspace) {
    fs::path manifestPath = shards / "manifest.json";
    simdjson::dom::parser parser;
    simdjson::dom::element manifest;
    if (auto error = parser.load(manifestPath.string()).get(manifest))
        fail("{}: cannot read the shard manifest: {}", manifestPath.string(),
             simdjson::error_message(error));
    simdjson::dom::element report;
    std::string_view tokenizerPath, tokenizerFingerprint;
    int64_t vocabSize = 0;
    if (manifest["report"].get(report))
        fail("{}: the manifest has no report", manifestPath.string());
    // The manifest's fingerprint is of the tokenizer the shards were encoded with, which is what
    // lineage is about, even if the file has changed or moved since.
    if (manifest["tokenizer"]["path"].get(tokenizerPath) ||
        manifest["tokenizer"]["fingerprint"].get(tokenizerFingerprint) ||
        manifest["tokenizer"]["vocab_size"].get(vocabSize))
        fail(
            "{}: the manifest has no tokenizer.path, tokenizer.fingerprint and "
            "tokenizer.vocab_size",
            manifestPath.string());
    store::RunHistory history(historyPath(workspace));
    history.recordDataset({common::workspaceRelative(shards, workspace),
                           data::shardSetFingerprint(shards), simdjson::to_string(report)});
    history.recordTokenizer({common::workspaceRelative(tokenizerPath, workspace),
                             std::string(tokenizerFingerprint),
                             fmt::format("{{\"vocab_size\":{}}}", vocabSize)});
    fmt::print(stderr, "recorded {} and its tokenizer {} in {}\n", shards.string(), tokenizerPath,
               historyPath(workspace).string());
    return 0;
}

int listDatasets(const fs::path& workspace) {
    store::RunHistory history(historyPath(workspace));
    fmt::print("{:<48} {:<18} {}\n", "DATASET", "FINGERPRINT", "COUNTS");
    for (const store::DatasetRecord& dataset : history.datasets())
        fmt::print("{:<48} {:<18} {}\n", dataset.path, dataset.fingerprint, dataset.statsJson);
    for (const store::DatasetRecord& tokenizer : history.tokenizers())
        fmt::print("{:<48} {:<18} {}\n", tokenizer.path, tokenizer.fingerprint,
                   tokenizer.statsJson);
    return 0;
}

}  // namespace

int runDatasets(const Args& args) {
    ArgParser parser("strata-cli datasets", "record SHARDS | list [--workspace DIR]",
                     "The shard sets and tokenizers in a workspace's run history. `record` "
                     "enters a shard folder and the tokenizer its manifest names, with their "
                     "fingerprints and counts; `list` prints them.");
    parser.positional("ACTION", 1, 2, "record SHARDS, or list")
        .option("workspace", 'w', "DIR",
                "the workspace (default ~/.local/share/strata/sample-workspace)");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    const std::vector<std::string>& positionals = parsed->positionals();
    fs::path workspace = workspaceOf(*parsed);
    if (positionals[0] == "record" && positionals.size() == 2)
        return recordShards(positionals[1], workspace);
    if (positionals[0] == "list" && positionals.size() == 1) return listDatasets(workspace);
    fail("usage: strata-cli datasets record SHARDS | list (got '{}')", positionals[0]);
}

}  // namespace strata::app
