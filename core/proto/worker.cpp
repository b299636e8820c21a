#include "core/proto/worker.h"

#include "core/common/json_writer.h"
#include "core/common/login_name.h"
#include "core/proto/event_tail.h"
#include "core/proto/generation_job.h"
#include "core/proto/history_service.h"
#include "core/proto/label_service.h"
#include "core/proto/line_reader.h"
#include "core/proto/protocol.h"
#include "core/proto/run_registry.h"
#include "core/proto/workspace_service.h"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <map>
#include <memory>

#include <poll.h>
#include <unistd.h>

namespace strata::proto {

namespace {

// How often the processes of subscribed runs are checked, to close the runs whose trainer died.
constexpr auto kLivenessInterval = std::chrono::seconds(1);
// Events sent per subscription per turn of the loop, so one long backlog cannot starve requests.
constexpr size_t kEventsPerTurn = 20000;
// Generations one client may have under way: each is a process holding a model.
constexpr size_t kMaxGenerations = 8;

class WorkerLoop {
public:
    WorkerLoop(int inFd, int outFd, const WorkerOptions& options)
        : m_reader(inFd),
          m_outFd(outFd),
          m_options(options),
          m_registry(options.workspace, options.cli),
          m_labels(options.workspace),
          m_history(options.workspace, m_registry),
          m_workspace(options.workspace, options.cli) {}

    void run() {
        send(helloMessage(m_options.strataVersion, m_options.capabilitiesJson));
        bool inputOpen = true;
        auto lastLivenessCheck = std::chrono::steady_clock::now();
        while (inputOpen && m_outputOpen) {
            std::vector<pollfd> fds{{m_reader.fd(), POLLIN, 0}};
            for (auto& [id, job] : m_generations) {
                fds.push_back({job->outputFd(), POLLIN, 0});
                fds.push_back({job->errorFd(), POLLIN, 0});
            }
            // A subscription with a backlog gets the next portion at once.
            int ready = ::poll(fds.data(), fds.size(), m_backlog ? 0 : m_options.pollMilliseconds);
            if (ready > 0) {
                relayGenerations(fds);
                if (fds[0].revents) {
                    std::vector<Line> lines;
                    inputOpen = m_reader.readSome(lines);
                    for (const Line& line : lines)
                        handle(line);
                }
            }
            auto now = std::chrono::steady_clock::now();
            if (now - lastLivenessCheck >= kLivenessInterval) {
                lastLivenessCheck = now;
                checkSubscribedRuns();
            }
            for (const std::string& notice : m_registry.takeNotices())
                send(errorMessage(std::nullopt, notice));
            streamEvents();
            flush();
        }
    }

private:
    void handle(const Line& line) {
        if (line.oversized) {
            send(errorMessage(std::nullopt,
                              fmt::format("a line of {} bytes is over the {} MiB cap; skipped",
                                          line.size, kMaxLineBytes >> 20)));
            return;
        }
        if (line.text.find_first_not_of(" \t\r") == std::string::npos) return;
        std::optional<int64_t> id;
        try {
            Request request = decodeRequest(line.text);
            id = request.id;
            std::string reply = replyMessage(request.id, answer(request));
            // The client drops a connection that sends it an oversized line: a reply that big
            // (a file of control characters escaped sixfold, a preview of huge documents) is
            // refused instead, and the connection goes on.
            if (reply.size() >= kMaxLineBytes)
                common::fail("{}: the reply would be {} MiB, over the {} MiB a line may be",
                             requestName(request.kind), reply.size() >> 20, kMaxLineBytes >> 20);
            send(reply);
        } catch (const ProtocolError& error) {
            send(errorMessage(error.requestId(), error.what()));
        } catch (const std::exception& error) {
            send(errorMessage(id, error.what()));
        }
    }

    std::string answer(const Request& request) {
        if (request.kind == RequestKind::Hello) {
            if (request.protocol != kProtocolVersion)
                throw ProtocolError(request.id,
                                    fmt::format("protocol version {} is not spoken here; this "
                                                "worker speaks version {}",
                                                request.protocol, kProtocolVersion));
            m_greeted = true;
            // The login the client is known by here: the author of its labels and comments.
            return common::JsonWriter()
                .beginObject()
                .field("protocol", kProtocolVersion)
                .field("login", common::loginName())
                .endObject()
                .take();
        }
        if (!m_greeted)
            throw ProtocolError(request.id, "send hello with the protocol version first");
        switch (request.kind) {
            case RequestKind::Start:
                return summaryJson(m_registry.summary(m_registry.start(request.spec)));
            case RequestKind::Pause:
            case RequestKind::Resume:
            case RequestKind::Stop:
                m_registry.control(request.run, request.kind);
                return summaryJson(m_registry.summary(request.run));
            case RequestKind::Status:
                if (!request.run.empty()) return summaryJson(m_registry.summary(request.run));
                [[fallthrough]];
            case RequestKind::ListRuns:
                return runsJson();
            case RequestKind::Subscribe: {
                RunSummary summary = m_registry.summary(request.run);
                m_subscriptions.insert_or_assign(
                    request.run,
                    Subscription{EventTail(m_registry.eventsPath(request.run), request.afterSeq)});
                return summaryJson(summary);
            }
            case RequestKind::Unsubscribe:
                m_registry.requireRun(request.run);
                m_subscriptions.erase(request.run);
                return common::JsonWriter()
                    .beginObject()
                    .field("run", request.run)
                    .endObject()
                    .take();
            case RequestKind::Generate: {
                if (m_generations.size() >= kMaxGenerations)
                    throw ProtocolError(request.id,
                                        fmt::format("generate: {} generations are under way; "
                                                    "cancel one or wait for it",
                                                    kMaxGenerations));
                std::filesystem::path checkpoint =
                    m_registry.insideWorkspace(request.generate.checkpoint, "generate.checkpoint");
                int64_t id = m_nextGeneration++;
                m_generations[id] = std::make_unique<GenerationJob>(id, m_options.cli, checkpoint,
                                                                    request.generate);
                return generationJson(id);
            }
            case RequestKind::Cancel:
                if (m_generations.erase(request.generation) == 0)
                    throw ProtocolError(
                        request.id,
                        fmt::format("cancel: no generation {} is under way", request.generation));
                return generationJson(request.generation);
            case RequestKind::HistoryRuns:
            case RequestKind::HistoryDatasets:
            case RequestKind::HistoryTokenizers:
            case RequestKind::HistoryRecordShards:
            case RequestKind::HistoryCheckpointsByRun:
                return m_history.answer(request);
            case RequestKind::Hello:
                break;
            default:
                if (isRunHistoryRequest(request.kind)) return m_history.answer(request);
                if (isWorkspaceRequest(request.kind)) return m_workspace.answer(request);
                return m_labels.answer(request);
        }
        return "{}";
    }

    // Closes the subscribed runs whose trainers died. Nothing here may end the worker: a run
    // that cannot be checked (its folder removed, its disk unreadable) is reported once, and
    // the others go on.
    void checkSubscribedRuns() {
        for (auto& [id, subscription] : m_subscriptions) {
            std::string problem;
            try {
                RunSummary summary = m_registry.summary(id);
                // A Slurm job's changes (started, requeued, ended) reach the client as they
                // happen, not only with the events the trainer writes.
                std::string job = summary.jobId.empty()
                                      ? ""
                                      : fmt::format("{} {} {} {}", summary.jobId, summary.state,
                                                    summary.job ? summary.job->text() : "",
                                                    summary.processRunning);
                if (job != subscription.job) send(jobStatusMessage(summaryJson(summary)));
                subscription.job = job;
            } catch (const std::exception& error) {
                problem = error.what();
            }
            if (problem != subscription.problem && !problem.empty())
                send(errorMessage(std::nullopt, problem));
            subscription.problem = problem;
        }
    }

    static std::string generationJson(int64_t id) {
        return common::JsonWriter().beginObject().field("generation", id).endObject().take();
    }

    // Relays what the generation children wrote; `fds` is this turn's poll set, the children's
    // pipes after the input's, in m_generations' order.
    void relayGenerations(const std::vector<pollfd>& fds) {
        std::vector<std::string> messages;
        size_t at = 1;
        for (auto job = m_generations.begin(); job != m_generations.end(); at += 2) {
            if (fds[at + 1].revents) job->second->drainErrors();
            bool goesOn = !fds[at].revents || job->second->read(messages);
            job = goesOn ? std::next(job) : m_generations.erase(job);
        }
        for (const std::string& message : messages)
            send(message);
    }

    std::string runsJson() {
        std::string json = "{\"runs\":[";
        bool first = true;
        for (const RunSummary& summary : m_registry.list()) {
            if (!first) json += ',';
            first = false;
            json += summaryJson(summary);
        }
        return json + "]}";
    }

    void streamEvents() {
        m_backlog = false;
        std::vector<std::string> lines;
        for (auto& [id, subscription] : m_subscriptions) {
            lines.clear();
            size_t found = subscription.tail.poll(lines, kEventsPerTurn);
            for (const std::string& line : lines)
                send(runEventMessage(id, line));
            m_backlog = m_backlog || found == kEventsPerTurn;
            if (m_pending.size() > (size_t(8) << 20)) flush();
        }
    }

    void send(const std::string& message) {
        m_pending += message;
        m_pending += '\n';
    }

    void flush() {
        const char* data = m_pending.data();
        size_t left = m_pending.size();
        while (left > 0 && m_outputOpen) {
            ssize_t written = ::write(m_outFd, data, left);
            if (written < 0 && errno == EINTR) continue;
            if (written <= 0) {
                m_outputOpen = false;  // the client is gone; the runs carry on without it
                break;
            }
            data += written;
            left -= size_t(written);
        }
        m_pending.clear();
    }

    LineReader m_reader;
    int m_outFd;
    const WorkerOptions& m_options;
    RunRegistry m_registry;
    LabelService m_labels;
    HistoryService m_history;
    WorkspaceService m_workspace;
    struct Subscription {
        EventTail tail;
        std::string problem;  // the last one reported for this run, so it is reported once
        std::string job;      // a Slurm job's id, run state and job state, last sent
    };
    std::map<std::string, Subscription> m_subscriptions;
    std::map<int64_t, std::unique_ptr<GenerationJob>> m_generations;
    int64_t m_nextGeneration = 1;
    std::string m_pending;
    bool m_greeted = false;
    bool m_backlog = false;
    bool m_outputOpen = true;
};

}  // namespace

void serveWorker(int inFd, int outFd, const WorkerOptions& options) {
    // A vanished reader must show up as a failed write, and a file-size limit as a failed
    // write too (EFBIG), not kill the worker.
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGXFSZ, SIG_IGN);
    WorkerLoop(inFd, outFd, options).run();
}

}  // namespace strata::proto
