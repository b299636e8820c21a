#include "core/proto/remote_run_history.h"

#include "core/proto/history_messages.h"

namespace strata::proto {

std::vector<store::RunRecord> RemoteRunHistory::listRuns(const store::RunFilter& filter) {
    if (!m_connection) m_connection = std::make_unique<WorkerConnection>(m_target);
    Request request;
    request.kind = RequestKind::HistoryRuns;
    request.runFilter = filter;
    return decodeRuns(m_connection->call(request));
}

}  // namespace strata::proto
