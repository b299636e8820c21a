// One connection to a worker: starts it on its target, checks its hello, greets it with this
// build's protocol version, then sends requests and reads replies and run events. Replies are
// matched to requests by id; run events and generated text that arrive while a reply is awaited
// are queued in order for nextEvent(). A worker that goes away (it exited, ssh dropped) is
// ConnectionLost.
#pragma once

#include "core/common/error.h"
#include "core/proto/child_process.h"
#include "core/proto/line_reader.h"
#include "core/proto/protocol.h"
#include "core/proto/worker_target.h"

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>

namespace strata::proto {

class ConnectionLost : public common::Error {
public:
    using common::Error::Error;
};

class WorkerConnection {
public:
    static constexpr std::chrono::milliseconds kConnectTimeout{60000};
    static constexpr std::chrono::milliseconds kRequestTimeout{60000};

    // Throws ConnectionLost (with ssh's last error line for remote targets) when the worker
    // cannot be started or does not greet in time, and common::Error when it speaks another
    // protocol version.
    explicit WorkerConnection(const WorkerTarget& target,
                              std::chrono::milliseconds timeout = kConnectTimeout);

    const WorkerTarget& target() const { return m_target; }
    const WorkerMessage& hello() const { return m_hello; }
    // The login this connection has on the worker's host (the SSH user); empty from a worker
    // older than the labeling requests.
    const std::string& login() const { return m_login; }

    // Sends `request` (its id is assigned here) and returns the reply's data as JSON text; an
    // error reply is a common::Error with the worker's message.
    std::string call(Request request, std::chrono::milliseconds timeout = kRequestTimeout);
    // The next run event or generated text, waiting up to `timeout`; nothing when none came in
    // time.
    std::optional<WorkerMessage> nextEvent(std::chrono::milliseconds timeout);

private:
    // Reads whatever arrives within `timeout` into the queues; throws ConnectionLost at EOF.
    void readMessages(std::chrono::milliseconds timeout);
    [[noreturn]] void lost(std::string_view what);

    WorkerTarget m_target;
    std::unique_ptr<ChildProcess> m_process;
    std::unique_ptr<LineReader> m_reader;
    WorkerMessage m_hello;
    std::string m_login;
    std::deque<WorkerMessage> m_events;
    std::deque<WorkerMessage> m_answers;  // replies and errors
    int64_t m_nextId = 1;
};

}  // namespace strata::proto
