// The worker's side of a workspace's run history, for clients that work on the workspace from
// another machine: the runs of the workspace's run folders, recorded in its strata.db. A run is
// caught up when a client asks (its row made on first sight, its events.jsonl ingested after the
// last event stored), so the history holds every run of the workspace, whoever started it and
// from where, each event once.
#pragma once

#include "core/proto/protocol.h"
#include "core/proto/run_registry.h"
#include "core/store/run_history.h"

#include <filesystem>
#include <memory>
#include <string>

namespace strata::proto {

class HistoryService {
public:
    HistoryService(std::filesystem::path workspace, RunRegistry& registry)
        : m_workspace(std::move(workspace)), m_registry(registry) {}

    // The reply's data for a history_* request: history_runs catches the history up first, and
    // the requests about one run answer from it as it is.
    std::string answer(const Request& request);
    // Records the run folders' runs and their new events in the history.
    void catchUp();

private:
    store::RunHistory& history();

    std::filesystem::path m_workspace;
    RunRegistry& m_registry;
    std::unique_ptr<store::RunHistory> m_history;
};

}  // namespace strata::proto
