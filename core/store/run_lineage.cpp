#include "core/store/run_lineage.h"

#include "core/common/workspace_paths.h"

#include <fmt/format.h>
#include <simdjson.h>
#include <toml++/toml.h>

#include <fstream>
#include <optional>
#include <string_view>
#include <utility>

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
                      const fs::path& workspace, int depth);

// The run of `host` whose folder holds `folder` (one of its checkpoints), other than `self`.
std::optional<int64_t> runHolding(RunHistory& history, const std::string& host,
                                  const fs::path& folder, int64_t self) {
    RunFilter filter;
    filter.host = host;
    filter.limit = 0;
    const std::string path = folder.lexically_normal().string();
    for (const RunRecord& run : history.listRuns(filter))
        if (run.id != self && !run.runDir.empty() &&
            path.starts_with(fs::path(run.runDir).lexically_normal().string() + "/"))
            return run.id;
    return std::nullopt;
}

// A model folder an alignment stage reads, and the lineage of the run it is a checkpoint of.
LineageItem modelFolder(RunHistory& history, const Recorded& recorded, const RunRecord& run,
                        const std::string& folder, const char* role, const fs::path& workspace,
                        int depth) {
    LineageItem item{
        LineageKind::Checkpoint, common::workspaceRelative(folder, workspace), role, {}};
    if (std::optional<int64_t> parent = runHolding(history, run.host, folder, run.id))
        item.inputs.push_back(lineageOf(history, recorded, *parent, workspace, depth + 1));
    else
        item.detail += ", not a checkpoint of a run in the history";
    return item;
}

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
    if (depth >= kMaxDepth) return item;
    // An alignment stage's model folders; a recorded parent already stands for init.model.
    const bool hasParent = run.parentRunId || !run.parentCheckpoint.empty();
    for (const auto& [key, role] : {std::pair{"model", "the model it started from"},
                                    std::pair{"reward_model", "the reward model it scored with"}}) {
        std::string folder = config["init"][key].value_or(std::string());
        if (!folder.empty() && !(hasParent && std::string_view(key) == "model"))
            item.inputs.push_back(
                modelFolder(history, recorded, run, folder, role, workspace, depth));
    }
    for (const char* key : {"train", "val"}) {
        std::string file = config["data"][key].value_or(std::string());
        if (!file.empty())
            item.inputs.push_back({LineageKind::Data,
                                   common::workspaceRelative(file, workspace),
                                   run.host == "local" && !fs::exists(file)
                                       ? fmt::format("data.{}, no longer on this machine", key)
                                       : fmt::format("data.{}", key),
                                   {}});
    }
    return item;
}

}  // namespace

LineageItem runLineage(RunHistory& history, int64_t runId, const fs::path& workspace) {
    return lineageOf(history, {history.datasets(), history.tokenizers()}, runId,
                     fs::absolute(workspace), 0);
}

// In the order of the enum's values.
constexpr const char* kLineageKindNames[] = {
    "run", "checkpoint", "shards", "tokenizer", "cleaned corpus", "source", "data"};

const char* lineageKindName(LineageKind kind) {
    return kLineageKindNames[size_t(kind)];
}

}  // namespace strata::store
