// How a shard folder enters a workspace's run history (`strata-cli datasets record`, here or
// through a host's worker): the folder and the tokenizer its manifest names, each with the
// fingerprint that identifies its content and its counts, so a run's lineage reaches its data.
#pragma once

#include "core/store/run_history.h"

#include <filesystem>

namespace strata::store {

struct RecordedShards {
    DatasetRecord shards;
    DatasetRecord tokenizer;
};

// Records SHARDS (its manifest.json read) in the history, paths relative to the workspace when
// inside it; recording a path again replaces its record. Throws common::Error naming the
// manifest when it cannot be read or lacks its report or tokenizer.
RecordedShards recordShardSet(RunHistory& history, const std::filesystem::path& shards,
                              const std::filesystem::path& workspace);

}  // namespace strata::store
