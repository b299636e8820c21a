#include "core/proto/worker_connection.h"

#include "core/proto/json_fields.h"

#include <fmt/format.h>

#include <poll.h>

namespace strata::proto {

namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds left(Clock::time_point deadline) {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

}  // namespace

WorkerConnection::WorkerConnection(const WorkerTarget& target, std::chrono::milliseconds timeout)
    : m_target(target) {
    try {
        m_process = std::make_unique<ChildProcess>(workerCommand(target));
    } catch (const common::Error& error) {
        throw ConnectionLost(error.what());
    }
    m_reader = std::make_unique<LineReader>(m_process->outputFd());
    Clock::time_point deadline = Clock::now() + timeout;
    while (m_hello.kind != MessageKind::Hello) {
        if (left(deadline).count() == 0) lost("did not say hello in time");
        readMessages(left(deadline));
        if (!m_answers.empty() && m_answers.front().kind == MessageKind::Hello) {
            m_hello = m_answers.front();
            m_answers.pop_front();
        }
    }
    if (m_hello.protocol != kProtocolVersion)
        common::fail(
            "{}: the worker speaks protocol version {}; this build speaks {} (install "
            "the same Strata version there)",
            target.name(), m_hello.protocol, kProtocolVersion);
    Request hello;
    hello.kind = RequestKind::Hello;
    hello.protocol = kProtocolVersion;
    hello.client = "strata";
    std::string reply = call(hello, left(deadline) + std::chrono::seconds(5));
    simdjson::dom::parser parser;
    simdjson::dom::element fields;
    if (!parser.parse(reply).get(fields))
        m_login = fieldOr<std::string_view>(fields, "login", std::string_view());
}

void WorkerConnection::lost(std::string_view what) {
    m_process->drainErrors();
    std::string detail = m_process->lastErrorLine();
    throw ConnectionLost(detail.empty()
                             ? fmt::format("{}: the worker {}", m_target.name(), what)
                             : fmt::format("{}: the worker {}: {}", m_target.name(), what, detail));
}

void WorkerConnection::readMessages(std::chrono::milliseconds timeout) {
    pollfd fds[2] = {{m_process->outputFd(), POLLIN, 0}, {m_process->errorFd(), POLLIN, 0}};
    if (::poll(fds, 2, int(timeout.count())) <= 0) return;
    if (fds[1].revents) m_process->drainErrors();
    if (!fds[0].revents) return;
    std::vector<Line> lines;
    bool open = m_reader->readSome(lines);
    for (const Line& line : lines) {
        if (line.oversized) lost(fmt::format("sent a line of {} bytes", line.size));
        if (line.text.empty()) continue;
        WorkerMessage message;
        try {
            message = decodeWorkerMessage(line.text);
        } catch (const ProtocolError& error) {
            lost(fmt::format("sent something this client does not understand ({})", error.what()));
        }
        bool unasked = message.kind == MessageKind::RunEvent ||
                       message.kind == MessageKind::Generated ||
                       message.kind == MessageKind::JobStatus;
        (unasked ? m_events : m_answers).push_back(message);
    }
    if (!open) lost("closed the connection");
}

std::string WorkerConnection::call(Request request, std::chrono::milliseconds timeout) {
    request.id = m_nextId++;
    if (!m_process->write(encodeRequest(request) + "\n")) lost("stopped reading");
    Clock::time_point deadline = Clock::now() + timeout;
    for (;;) {
        for (auto answer = m_answers.begin(); answer != m_answers.end(); ++answer) {
            if (answer->id != request.id) continue;
            WorkerMessage reply = std::move(*answer);
            m_answers.erase(answer);
            if (reply.kind == MessageKind::Error)
                common::fail("{}: {}", m_target.name(), reply.message);
            return reply.dataJson;
        }
        if (left(deadline).count() == 0)
            lost(fmt::format("did not answer {} in time", requestName(request.kind)));
        readMessages(left(deadline));
    }
}

std::optional<WorkerMessage> WorkerConnection::nextEvent(std::chrono::milliseconds timeout) {
    if (m_events.empty()) readMessages(timeout);
    if (m_events.empty()) return std::nullopt;
    WorkerMessage event = std::move(m_events.front());
    m_events.pop_front();
    return event;
}

}  // namespace strata::proto
