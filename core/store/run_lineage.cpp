#include "core/store/run_lineage.h"

#include "core/common/workspace_paths.h"

#include <fmt/format.h>
#include <simdjson.h>
#include <toml++/toml.h>

#include <fstream>

namespace strata::store {

namespace fs = std::filesystem;

namespace {

constexpr int kMaxDepth = 64;

// The history keeps paths inside the workspace relative to it.
const DatasetRecord* findByPath(const std::vector<DatasetRecord>& records,
                                const std::string& path) {
    for (const DatasetRecord& record : records)
        if (record.path == path) return &record;
    return nullptr;
}

std::string recordedDetail(const DatasetRecord* record) {
    if (!record) return "not recorded in the run history";
    return fmt::format("fingerprint {}, {}", record->fingerprint, record->statsJson);
}

// The cleaned corpus beside a shard folder (datasets/<name>/clean.jsonl.zst), its funnel counts
// and the sources listed in sources.txt.
void addCorpus(LineageItem& shards, const fs::path& shardFolder) {
    fs::path dataset = shardFolder.parent_path();
    fs::path corpus = dataset / "clean.jsonl.zst";
    if (!fs::exists(corpus)) return;
    LineageItem item{LineageKind::Corpus, corpus.string(), {}, {}};
    simdjson::dom::parser parser;
    simdjson::dom::element funnel;
    int64_t in = 0, out = 0;
    if (!parser.load((dataset / "funnel.json").string()).get(funnel) &&
        !funnel["input"]["documents"].get(in) && !funnel["output"]["documents"].get(out))
        item.detail = fmt::format("{} of {} documents kept by cleaning", out, in);
    std::ifstream sources(dataset / "sources.txt");
    for (std::string line; std::getline(sources, line);)
        if (!line.empty())
            item.inputs.push_back({LineageKind::Source,
                                   line,
                                   fs::exists(line) ? "" : "no longer on this machine",
                                   {}});
    shards.inputs.push_back(std::move(item));
}

// What the history recorded of the workspace's data, read once for the whole tree.
struct Recorded {
    std::vector<DatasetRecord> datasets;
    std::vector<DatasetRecord> tokenizers;
};

LineageItem lineageOf(RunHistory& history, const Recorded& recorded, int64_t runId,
                      const fs::path& workspace, int depth) {
    RunRecord run = history.run(runId);
    LineageItem item{LineageKind::Run,
                     run.shownName(),
                     fmt::format("{} on {}, {}, step {}", run.stage.empty() ? "run" : run.stage,
                                 run.host, runStateName(run.state), run.lastStep),
                     {}};
    // A deleted parent run leaves parent_run_id NULL (ON DELETE SET NULL) and the checkpoint
    // folder it started from still named.
    if ((run.parentRunId || !run.parentCheckpoint.empty()) && depth < kMaxDepth) {
        LineageItem checkpoint{LineageKind::Checkpoint,
                               run.parentCheckpoint.empty() ? "(latest)" : run.parentCheckpoint,
                               "the checkpoint it started from",
                               {}};
        if (run.parentRunId)
            checkpoint.inputs.push_back(
                lineageOf(history, recorded, *run.parentRunId, workspace, depth + 1));
        else
            checkpoint.detail = "its run is no longer in the history";
        item.inputs.push_back(std::move(checkpoint));
    }
    toml::table config;
    try {
        config = toml::parse(run.configText);
    } catch (const toml::parse_error&) {
        return item;  // a run that never started has no resolved config yet
    }
    if (std::optional<std::string> shards = config["data"]["shards"].value<std::string>()) {
        std::string path = common::workspaceRelative(*shards, workspace);
        LineageItem node{
            LineageKind::Shards, path, recordedDetail(findByPath(recorded.datasets, path)), {}};
        addCorpus(node, fs::path(*shards));
        item.inputs.push_back(std::move(node));
    }
    if (std::optional<std::string> tokenizer = config["data"]["tokenizer"].value<std::string>()) {
        std::string path = common::workspaceRelative(*tokenizer, workspace);
        item.inputs.push_back({LineageKind::Tokenizer,
                               path,
                               recordedDetail(findByPath(recorded.tokenizers, path)),
                               {}});
    }
    return item;
}

}  // namespace

LineageItem runLineage(RunHistory& history, int64_t runId, const fs::path& workspace) {
    return lineageOf(history, {history.datasets(), history.tokenizers()}, runId,
                     fs::absolute(workspace), 0);
}

const char* lineageKindName(LineageKind kind) {
    switch (kind) {
        case LineageKind::Run:
            return "run";
        case LineageKind::Checkpoint:
            return "checkpoint";
        case LineageKind::Shards:
            return "shards";
        case LineageKind::Tokenizer:
            return "tokenizer";
        case LineageKind::Corpus:
            return "cleaned corpus";
        case LineageKind::Source:
            return "source";
    }
    return "";
}

}  // namespace strata::store
