// The run history of a workspace on another host (ssh://host/path), through that host's worker,
// which keeps it from the workspace's run folders (HistoryService): what `strata-cli runs list
// --workspace ssh://...` shows. Connects on the first call.
#pragma once

#include "core/proto/worker_connection.h"
#include "core/store/run_history.h"

#include <memory>
#include <vector>

namespace strata::proto {

class RemoteRunHistory {
public:
    explicit RemoteRunHistory(WorkerTarget target) : m_target(std::move(target)) {}

    std::vector<store::RunRecord> listRuns(const store::RunFilter& filter = {});

private:
    WorkerTarget m_target;
    std::unique_ptr<WorkerConnection> m_connection;
};

}  // namespace strata::proto
