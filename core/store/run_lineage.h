// Where a run came from, back to the raw data: the run, the checkpoint of the run it started
// from (and that run's own lineage), the shard set and tokenizer its config reads, each with the
// fingerprint the history recorded for it, and, for shards the Data page or `strata-cli demo`
// made inside the workspace, the cleaned corpus with its funnel counts and the raw sources it was
// cleaned from. An alignment stage's model folders (init.model, init.reward_model) lead to the
// runs whose checkpoints they are, and its data files (data.train, data.val) are listed.
// Reviewers read it as a tree on the Runs page.
#pragma once

#include "core/store/run_history.h"

#include <filesystem>
#include <string>
#include <vector>

namespace strata::store {

enum class LineageKind { Run, Checkpoint, Shards, Tokenizer, Corpus, Source, Data };

struct LineageItem {
    LineageKind kind = LineageKind::Run;
    std::string label;   // a run's name, or a path
    std::string detail;  // state and step, fingerprint and counts, or what is missing
    std::vector<LineageItem> inputs;
};

// Throws common::Error when there is no such run. Parents are followed up to 64 runs deep.
LineageItem runLineage(RunHistory& history, int64_t runId, const std::filesystem::path& workspace);

const char* lineageKindName(LineageKind kind);

}  // namespace strata::store
