// The run history as the worker protocol carries it (docs/protocol.md): a run filter in a
// history_runs request, and the runs of its reply, written by the worker (HistoryService) and
// read by the client (RemoteRunHistory).
#pragma once

#include "core/store/run_history.h"

#include <string>
#include <string_view>
#include <vector>

namespace strata::proto {

// "created", "name", "state", "stage", "host", "step", "loss".
const char* runSortKeyName(store::RunSortKey key);
// Throws common::Error naming the text when it is none of those.
store::RunSortKey parseRunSortKey(std::string_view name);

// {"runs": [{"id", "name", "title", "host", "stage", "state", "run_dir", "created_at",
// "started_at", "ended_at", "last_step", "last_loss" (null when none), "tags", "notes"}]}.
std::string runsJson(const std::vector<store::RunRecord>& runs);
std::vector<store::RunRecord> decodeRuns(std::string_view json);

}  // namespace strata::proto
