#include "core/proto/workspace_link.h"

#include <fmt/format.h>

namespace strata::proto {

WorkerConnection& WorkspaceLink::connection() {
    if (!m_connection) m_connection = std::make_unique<WorkerConnection>(m_target);
    return *m_connection;
}

std::string WorkspaceLink::login() {
    std::lock_guard lock(m_mutex);
    return connection().login();
}

std::string WorkspaceLink::call(const Request& request, bool safeToRepeat) {
    using Clock = std::chrono::steady_clock;
    std::lock_guard lock(m_mutex);
    if (m_wait.count() > 0 && Clock::now() < m_retryAt)
        throw ConnectionLost(
            fmt::format("{}: cannot reach the host; trying again in {} s", m_target.name(),
                        std::chrono::ceil<std::chrono::seconds>(m_retryAt - Clock::now()).count()));
    for (int attempt = 1;; ++attempt) {
        try {
            std::string reply = connection().call(request);
            m_wait = std::chrono::seconds(0);
            return reply;
        } catch (const ConnectionLost& lost) {
            m_connection.reset();
            if (!safeToRepeat) throw;
            // A connection that had worked may just have dropped: one more try on a new one.
            if (attempt == 2 || m_wait.count() > 0) unreachable(lost);
        }
    }
}

void WorkspaceLink::unreachable(const ConnectionLost& lost) {
    constexpr std::chrono::seconds kFirstWait{2};
    constexpr std::chrono::seconds kLongestWait{60};
    m_wait = m_wait.count() == 0 ? kFirstWait : std::min(2 * m_wait, kLongestWait);
    m_retryAt = std::chrono::steady_clock::now() + m_wait;
    throw lost;
}

}  // namespace strata::proto
