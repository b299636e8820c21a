// The worker of a workspace on another host as the remote pages call it, one request at a time:
// it connects on the first call, and a connection that drops is made again on the next one; a
// call that met the drop is sent once more on the new connection, unless it is not safe to repeat
// (a comment, which could land twice). When the host cannot be reached, calls throw
// ConnectionLost, and for a while after (2 s, doubling to a minute while it stays away) they throw
// it at once, without trying: a page that reads every second or two waits out one connect attempt
// per wait, not one per read. Calls from several threads (a page's background read beside its
// GUI thread) take turns.
#pragma once

#include "core/proto/protocol.h"
#include "core/proto/worker_connection.h"

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

namespace strata::proto {

class WorkspaceLink {
public:
    // Connects on the first call, not here.
    explicit WorkspaceLink(WorkerTarget target) : m_target(std::move(target)) {}

    const WorkerTarget& target() const { return m_target; }
    // The login this link has on the host (WorkerConnection::login), connecting when needed.
    std::string login();
    // The reply's data; an error reply is a common::Error with the worker's message.
    std::string call(const Request& request, bool safeToRepeat = true);

private:
    // The connection, made when there is none (throws ConnectionLost when it cannot be).
    WorkerConnection& connection();
    // Records a failed attempt: calls fail at once until m_retryAt.
    [[noreturn]] void unreachable(const ConnectionLost& lost);

    WorkerTarget m_target;
    std::mutex m_mutex;  // over the connection and the wait
    std::unique_ptr<WorkerConnection> m_connection;
    std::chrono::steady_clock::time_point m_retryAt{};
    std::chrono::seconds m_wait{0};  // before the next try; 0 while the host answers
};

}  // namespace strata::proto
