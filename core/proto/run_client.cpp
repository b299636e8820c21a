#include "core/proto/run_client.h"

#include "core/common/toml_text.h"
#include "core/proto/event_ingest.h"
#include "core/proto/slurm_job.h"
#include "core/proto/worker_connection.h"
#include "core/run/stage.h"
#include "core/run/stage_config.h"

#include <fmt/format.h>
#include <simdjson.h>
#include <toml++/toml.h>

#include <fstream>
#include <sstream>

#include <thread>

namespace strata::proto {

namespace {

using Clock = std::chrono::steady_clock;

std::string textField(const std::string& json, const char* key) {
    simdjson::dom::parser parser;
    std::string_view value;
    if (parser.parse(json)[key].get(value))
        common::fail("the worker's reply has no \"{}\": {:.200}", key, json);
    return std::string(value);
}

// Who started the run, as its worker says (an older worker does not).
std::string startedBy(const std::string& summaryJson) {
    simdjson::dom::parser parser;
    std::string_view value;
    if (parser.parse(summaryJson)["started_by"].get(value)) return {};
    return std::string(value);
}

int64_t intField(const std::string& json, const char* key) {
    simdjson::dom::parser parser;
    int64_t value;
    if (parser.parse(json)[key].get(value))
        common::fail("the worker's reply has no \"{}\": {:.200}", key, json);
    return value;
}

// The worker run ids of the run's hosts, node 0 first; `hosts` must name as many targets.
std::vector<std::string> hostRunNames(const store::RunRecord& run,
                                      const std::vector<WorkerTarget>& hosts) {
    std::vector<std::string> names{run.name};
    for (const store::RunNode& node : run.nodes)
        names.push_back(node.name);
    if (hosts.size() != names.size())
        common::fail("run \"{}\" runs on {} host(s), not {}", run.name, names.size(), hosts.size());
    return names;
}

Request runRequest(RequestKind kind, const std::string& run) {
    Request request;
    request.kind = kind;
    request.run = run;
    return request;
}

// Whether the worker's summary of a run (a status or subscribe reply) says it has ended with
// `seq` as its last event: nothing more will come until someone resumes it. A run whose Slurm
// job is still alive has not: the job may be requeued, and its trainer then goes on.
bool endedAt(const std::string& summaryJson, int64_t seq) {
    simdjson::dom::parser parser;
    simdjson::dom::element summary;
    std::string_view state;
    int64_t lastSeq;
    if (parser.parse(summaryJson).get(summary) || summary["state"].get(state) ||
        summary["last_seq"].get(lastSeq))
        common::fail("the worker's run summary lacks state or last_seq: {:.200}", summaryJson);
    bool jobActive = false;
    if (simdjson::dom::element job; !summary["job"].get(job) && job["active"].get(jobActive))
        common::fail("the worker's run summary has a job without \"active\": {:.200}", summaryJson);
    return store::hasEnded(store::parseRunState(state)) && lastSeq <= seq && !jobActive;
}

// Keeps the run's Slurm job, as the worker's summary of the run gives it, in the history.
void recordJob(store::RunHistory& history, int64_t runId, const std::string& summaryJson) {
    simdjson::dom::parser parser;
    simdjson::dom::element job;
    std::string_view id;
    if (parser.parse(summaryJson)["job"].get(job) || job["id"].get(id)) return;
    SlurmJobState state;
    std::string_view text;
    if (!job["state"].get(text)) state.state = text;
    if (!job["reason"].get(text)) state.reason = text;
    // Slurm forgets an ended job after a while; what it said last stays.
    const std::string shown = state.state.empty() ? history.run(runId).jobState : state.text();
    history.setJob(runId, std::string(id), shown);
}

// The start request for `spec` on `target`: a Slurm target's runs are batch jobs.
Request startRequest(const WorkerTarget& target, const RunSpec& spec) {
    Request request;
    request.kind = RequestKind::Start;
    request.spec = spec;
    if (target.slurm) {
        request.spec.scheduler = "slurm";
        request.spec.sbatchOptions = target.sbatchOptions;
    }
    return request;
}

}  // namespace

RunSpec runSpecFromFile(const std::filesystem::path& config, bool local) {
    std::ifstream in(config);
    if (!in) common::fail("{}: cannot read the run config", config.string());
    std::stringstream text;
    text << in.rdbuf();
    RunSpec spec;
    spec.configText = text.str();
    spec.name = config.stem().string();
    toml::table table;
    try {
        table = toml::parse(std::string_view(spec.configText), std::string_view(config.string()));
    } catch (const toml::parse_error& error) {
        common::fail("{}:{}: {}", config.string(), error.source().begin.line, error.description());
    }
    spec.stage = table["train"]["stage"].value_or(std::string("pretrain"));
    std::optional<run::Stage> stage = run::parseStage(spec.stage);
    if (!local || !stage) return spec;  // an unknown stage: the worker names it
    // Relative paths are relative to the config file; the worker checks they are in its workspace.
    auto absolute = [&](const std::string& key) -> std::optional<std::string> {
        std::optional<std::string> value = table.at_path(key).value<std::string>();
        if (!value || value->empty()) return std::nullopt;
        std::filesystem::path candidate = *value;
        if (candidate.is_relative())
            candidate = std::filesystem::absolute(config).parent_path() / candidate;
        return candidate.lexically_normal().string();
    };
    for (const std::string& key : run::stagePathKeys(*stage)) {
        std::optional<std::string> path = absolute(key);
        if (!path) continue;
        if (key == "data.shards")
            spec.shards = *path;
        else if (key == "data.tokenizer")
            spec.tokenizer = *path;
        else
            spec.overrides.push_back(key + "=" + common::tomlString(*path));
    }
    return spec;
}

int64_t startRun(store::RunHistory& history, const WorkerTarget& target, const RunSpec& spec,
                 const std::vector<std::string>& tags) {
    WorkerConnection connection(target);
    std::string reply = connection.call(startRequest(target, spec));
    store::NewRun run;
    run.name = textField(reply, "run");
    run.host = target.name();
    run.createdBy = startedBy(reply);
    run.stage = spec.stage;
    run.configText = spec.configText;
    run.runDir = textField(reply, "run_dir");
    run.tags = tags;
    const int64_t runId = history.createRun(run);
    recordJob(history, runId, reply);
    return runId;
}

int64_t startRunAcrossHosts(store::RunHistory& history, const std::vector<WorkerTarget>& hosts,
                            const RunSpec& spec, const std::vector<std::string>& tags) {
    if (hosts.empty()) common::fail("a run needs a host to run on");
    if (hosts.size() == 1) return startRun(history, hosts[0], spec, tags);
    for (const WorkerTarget& host : hosts)
        if (host.slurm)
            common::fail("{}: a Slurm target runs the whole run; ask it for nodes instead",
                         host.name());
    Request request;
    request.kind = RequestKind::Start;
    request.spec = spec;
    request.spec.numNodes = int(hosts.size());
    const std::string masterHost = reachableAddress(hosts[0]);  // before anything starts
    store::NewRun run;
    run.stage = spec.stage;
    run.configText = spec.configText;
    run.tags = tags;
    request.spec.masterAddress = masterHost;  // node 0's rendezvous listens there alone
    for (size_t node = 0; node < hosts.size(); ++node) {
        request.spec.nodeRank = int(node);
        std::string reply;
        try {
            reply = WorkerConnection(hosts[node]).call(request);
        } catch (const std::exception& error) {
            if (node == 0) throw;
            common::fail(
                "{}: {} (the ranks started on the hosts before it give up after "
                "dist.timeout_s)",
                hosts[node].name(), error.what());
        }
        if (node == 0) {
            run.name = textField(reply, "run");
            run.host = hosts[0].name();
            run.createdBy = startedBy(reply);
            run.runDir = textField(reply, "run_dir");
            request.spec.masterAddress.clear();
            request.spec.master = fmt::format("{}:{}", masterHost, intField(reply, "master_port"));
        } else {
            run.nodes.push_back(
                {hosts[node].name(), textField(reply, "run"), textField(reply, "run_dir")});
        }
    }
    return history.createRun(run);
}

void resumeRun(store::RunHistory& history, const std::vector<WorkerTarget>& hosts, int64_t runId) {
    store::RunRecord record = history.run(runId);
    const std::vector<std::string> names = hostRunNames(record, hosts);
    const std::string masterHost = hosts.size() > 1 ? reachableAddress(hosts[0]) : "";
    Request request;
    request.kind = RequestKind::Start;
    request.spec.masterAddress = masterHost;
    for (size_t node = 0; node < hosts.size(); ++node) {
        request.spec.resumeRun = names[node];
        std::string reply = WorkerConnection(hosts[node]).call(request);
        if (node == 0) recordJob(history, runId, reply);
        if (node == 0 && hosts.size() > 1) {
            request.spec.masterAddress.clear();
            request.spec.master = fmt::format("{}:{}", masterHost, intField(reply, "master_port"));
        }
    }
    history.setState(runId, store::RunState::Created);
}

void controlRun(store::RunHistory& history, const std::vector<WorkerTarget>& hosts, int64_t runId,
                RequestKind kind) {
    const std::vector<std::string> names = hostRunNames(history.run(runId), hosts);
    // The ranks agree on pause and stop requests at every step, so node 0's reach every rank
    // (and a later host's run may have stopped already); a paused rank goes on only at its
    // own resume signal.
    const size_t signalled = kind == RequestKind::Resume ? hosts.size() : 1;
    for (size_t node = 0; node < signalled; ++node)
        WorkerConnection(hosts[node]).call(runRequest(kind, names[node]));
}

store::RunState followRun(store::RunHistory& history, const WorkerTarget& target, int64_t runId,
                          const FollowOptions& options) {
    const std::string name = history.run(runId).name;
    auto keepGoing = [&] { return !options.keepGoing || options.keepGoing(); };
    std::chrono::milliseconds backoff = options.firstBackoff;
    while (keepGoing()) {
        EventIngest ingest(history, runId);
        try {
            WorkerConnection connection(target);
            backoff = options.firstBackoff;
            Request subscribe = runRequest(RequestKind::Subscribe, name);
            subscribe.afterSeq = history.run(runId).lastSeq;
            const std::string summary = connection.call(subscribe);
            recordJob(history, runId, summary);
            if (endedAt(summary, subscribe.afterSeq)) return history.run(runId).state;
            Clock::time_point lastFlush = Clock::now();
            while (keepGoing()) {
                std::optional<WorkerMessage> event =
                    connection.nextEvent(std::chrono::milliseconds(50));
                const bool ours = event && event->run == name;
                const bool jobChanged = ours && event->kind == MessageKind::JobStatus;
                if (jobChanged) {
                    recordJob(history, runId, event->dataJson);
                } else if (ours) {
                    ingest.add(*event);
                    if (options.onEvent) options.onEvent(*event);
                }
                bool finished = ours && event->type == "run_finished";
                if (finished || jobChanged || ingest.pendingEvents() >= options.flushEvents ||
                    Clock::now() - lastFlush >= options.flushInterval) {
                    ingest.flush();
                    lastFlush = Clock::now();
                }
                // A job's change may be its end after the trainer's run_finished.
                if ((finished || jobChanged) &&
                    endedAt(connection.call(runRequest(RequestKind::Status, name)),
                            history.run(runId).lastSeq))
                    return history.run(runId).state;
            }
            ingest.flush();
        } catch (const ConnectionLost& error) {
            // What arrived before the loss is whole events in seq order: keep it, and ask for
            // the rest after it.
            ingest.flush();
            if (options.onNotice)
                options.onNotice(
                    fmt::format("{}; reconnecting in {} ms", error.what(), backoff.count()));
            std::this_thread::sleep_for(backoff);
            backoff = std::min(backoff * 2, options.maxBackoff);
        }
    }
    return history.run(runId).state;
}

}  // namespace strata::proto
