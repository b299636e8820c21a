#include "core/proto/run_registry.h"

#include "core/common/atomic_file.h"
#include "core/common/config_reader.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/common/login_name.h"
#include "core/common/process_lock.h"
#include "core/common/toml_text.h"
#include "core/common/workspace_paths.h"
#include "core/proto/json_fields.h"
#include "core/run/event_log.h"
#include "core/run/launch_environment.h"
#include "core/run/listen_address.h"
#include "core/run/run_config.h"
#include "core/run/stage.h"
#include "core/store/run_history.h"

#include <fmt/chrono.h>
#include <simdjson.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace strata::proto {

namespace fs = std::filesystem;
using common::fail;
using common::JsonWriter;

struct RunRegistry::Tracked {
    RunSummary summary;
    std::unique_ptr<EventTail> tail;
    std::vector<ProcessId> processes;
    std::string reportedProblem;  // the last problem sent as a notice, so it is sent once
    // A run submitted to Slurm: its extra sbatch options, and when squeue was last asked.
    bool slurm = false;
    std::vector<std::string> sbatchOptions;
    std::chrono::steady_clock::time_point jobCheckedAt;

    bool launched() const { return slurm ? !summary.jobId.empty() : !processes.empty(); }
};

namespace {

// How often squeue is asked about a run's Slurm job (each subscribed run is checked every second).
constexpr auto kJobPollInterval = std::chrono::seconds(2);

// A state read from an event log; one this build does not know (a newer trainer's run_finished
// status) counts as ended, and never stops the worker.
bool isFinal(const std::string& state) {
    std::optional<store::RunState> known = store::findRunState(state);
    return !known || store::hasEnded(*known);
}

double unixSeconds() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

// The last `maxBytes` of a file (all of a shorter one); empty when it cannot be read.
std::string readTail(const fs::path& path, size_t maxBytes) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return {};
    const std::streamoff size = in.tellg();
    const std::streamoff start = std::max<std::streamoff>(0, size - std::streamoff(maxBytes));
    std::string text(size_t(size - start), '\0');
    in.seekg(start);
    in.read(text.data(), std::streamsize(text.size()));
    text.resize(size_t(in.gcount()));
    return text;
}

fs::path logPath(const fs::path& runDir, int rank) {
    return runDir / "logs" / fmt::format("rank-{}.log", rank);
}

// The message of the last "error:" line in the tail of a log, or empty.
std::string lastErrorLine(const fs::path& log) {
    std::istringstream lines(readTail(log, 8192));
    std::string line;
    std::string found;
    while (std::getline(lines, line)) {
        size_t at = line.find("error: ");
        if (at != std::string::npos) found = line.substr(at + 7);
    }
    return found;
}

void writeProcesses(const fs::path& runDir, const std::vector<ProcessId>& processes,
                    const std::string& master) {
    JsonWriter json;
    json.beginObject()
        .field("launched_at", unixSeconds())
        .field("master", master)
        .key("processes")
        .beginArray();
    for (const ProcessId& process : processes)
        json.beginObject()
            .field("pid", int64_t(process.pid))
            .field("start_time", process.startTime)
            .endObject();
    json.endArray().endObject();
    common::AtomicFile file(runDir / "process.json");
    file.write(json.str() + "\n");
    file.commit();
}

std::string readJobId(const fs::path& runDir) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.load((runDir / "job.json").string()).get(root)) return {};
    std::string id(fieldOr<std::string_view>(root, "job_id", ""));
    return isSlurmJobId(id) ? id : std::string();
}

void writeJobId(const fs::path& runDir, const std::string& jobId) {
    JsonWriter json;
    json.beginObject().field("job_id", jobId).field("submitted_at", unixSeconds()).endObject();
    common::AtomicFile file(runDir / "job.json");
    file.write(json.str() + "\n");
    file.commit();
}

std::vector<ProcessId> readProcesses(const fs::path& runDir) {
    std::vector<ProcessId> processes;
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    simdjson::dom::array list;
    if (parser.load((runDir / "process.json").string()).get(root) || root["processes"].get(list))
        return processes;
    for (simdjson::dom::element entry : list) {
        int64_t pid;
        uint64_t startTime;
        if (!entry["pid"].get(pid) && !entry["start_time"].get(startTime))
            processes.push_back({pid_t(pid), startTime});
    }
    return processes;
}

// The workers' lock on a run folder (.lock), held while one closes a run whose trainer died or
// launches its trainers: one worker at a time, whichever connection asked.
class RunFolderLock {
public:
    explicit RunFolderLock(const fs::path& runDir) {
        const fs::path path = runDir / ".lock";
        m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (m_fd < 0 || ::flock(m_fd, LOCK_EX) != 0) {
            const int error = errno;
            if (m_fd >= 0) ::close(m_fd);
            fail("{}: cannot lock: {}", path.string(), std::strerror(error));
        }
    }
    ~RunFolderLock() { ::close(m_fd); }
    RunFolderLock(const RunFolderLock&) = delete;
    RunFolderLock& operator=(const RunFolderLock&) = delete;

private:
    int m_fd;
};

}  // namespace

std::string summaryJson(const RunSummary& s) {
    JsonWriter json;
    json.beginObject()
        .field("run", s.id)
        .field("stage", s.stage)
        .field("state", s.state)
        .field("started_by", s.startedBy)
        .field("run_dir", s.runDir.string())
        .field("last_seq", s.lastSeq)
        .field("step", s.step)
        .field("max_steps", s.maxSteps)
        .field("nproc", s.numProcesses)
        .field("process_running", s.processRunning);
    if (s.numNodes > 1) {
        json.field("nnodes", s.numNodes).field("node_rank", s.nodeRank).field("master", s.master);
        std::optional<std::pair<std::string, int>> master = run::parseMasterAddress(s.master);
        if (s.nodeRank == 0 && master) json.field("master_port", master->second);
    }
    if (!s.message.empty()) json.field("message", s.message);
    if (!s.jobId.empty()) {
        json.key("job").beginObject().field("id", s.jobId);
        if (s.job) json.field("state", s.job->state).field("reason", s.job->reason);
        json.field("active", s.job && s.job->active()).endObject();
    }
    return json.endObject().take();
}

RunRegistry::RunRegistry(fs::path workspace, fs::path cli)
    : m_workspace(fs::weakly_canonical(workspace)), m_cli(std::move(cli)) {}

RunRegistry::~RunRegistry() = default;

fs::path RunRegistry::insideWorkspace(const std::string& path, std::string_view what) const {
    fs::path resolved = fs::weakly_canonical(m_workspace / path);
    auto [rootEnd, candidate] =
        std::mismatch(m_workspace.begin(), m_workspace.end(), resolved.begin(), resolved.end());
    if (rootEnd != m_workspace.end())
        fail("{}: {} is outside the workspace {}", what, path, m_workspace.string());
    return resolved;
}

void RunRegistry::requireRun(const std::string& id) const {
    // A worker's run ids are plain names; anything else (a path, a NUL, a control character)
    // could name another folder.
    if (!common::isPlainName(id) || !fs::exists(m_workspace / "runs" / id / "run.json"))
        fail("no run {} in the workspace {}", common::quotedJson(id), m_workspace.string());
}

fs::path RunRegistry::eventsPath(const std::string& id) const {
    return m_workspace / "runs" / id / "events.jsonl";
}

RunRegistry::Tracked& RunRegistry::tracked(const std::string& id) {
    auto found = m_runs.find(id);
    if (found != m_runs.end()) return *found->second;
    requireRun(id);
    auto run = std::make_unique<Tracked>();
    fs::path runDir = m_workspace / "runs" / id;
    run->summary.id = id;
    run->summary.runDir = runDir;
    run->summary.state = "created";
    run->summary.stage = "pretrain";
    simdjson::dom::parser parser;
    simdjson::dom::element info;
    if (parser.load((runDir / "run.json").string()).get(info) == simdjson::SUCCESS) {
        run->summary.stage = fieldOr<std::string_view>(info, "stage", "pretrain");
        run->summary.startedBy = fieldOr<std::string_view>(info, "started_by", "");
        run->summary.numProcesses = int(fieldOr<int64_t>(info, "nproc", 1));
        run->summary.numNodes = int(fieldOr<int64_t>(info, "nnodes", 1));
        run->summary.nodeRank = int(fieldOr<int64_t>(info, "node_rank", 0));
        run->slurm = fieldOr<std::string_view>(info, "scheduler", "") == "slurm";
        simdjson::dom::array options;
        if (run->slurm && !info["sbatch"].get(options))
            for (simdjson::dom::element option : options)
                if (std::string_view text; !option.get(text)) run->sbatchOptions.emplace_back(text);
    }
    if (run->slurm) run->summary.jobId = readJobId(runDir);
    simdjson::dom::element launched;
    if (parser.load((runDir / "process.json").string()).get(launched) == simdjson::SUCCESS)
        run->summary.master = fieldOr<std::string_view>(launched, "master", "");
    run->tail = std::make_unique<EventTail>(runDir / "events.jsonl", 0);
    return *m_runs.emplace(id, std::move(run)).first->second;
}

void RunRegistry::refresh(Tracked& run) {
    std::vector<std::string> lines;
    simdjson::dom::parser parser;
    RunSummary& s = run.summary;
    while (run.tail->poll(lines) > 0) {
        for (const std::string& line : lines) {
            simdjson::dom::element event;
            std::string_view type;
            if (parser.parse(line).get(event) || event["type"].get(type)) continue;
            simdjson::dom::element data = event["data"];
            int64_t value;
            if (type == "metrics" && !data["step"].get(value)) s.step = value;
            if (type == "run_started") {
                s.state = "running";
                s.message.clear();
                if (!data["step"].get(value)) s.step = value;
                if (!data["max_steps"].get(value)) s.maxSteps = value;
            } else if (type == "paused") {
                s.state = "paused";
            } else if (type == "resumed") {
                s.state = "running";
            } else if (type == "run_finished") {
                s.state = fieldOr<std::string_view>(data, "status", "failed");
                s.message = fieldOr<std::string_view>(data, "message", "");
            }
        }
        lines.clear();
    }
    s.lastSeq = run.tail->lastSeq();
    if (run.slurm) {
        refreshJobs({&run});
        s.processRunning = s.job && s.job->active();
        return;
    }
    run.processes = readProcesses(s.runDir);
    s.processRunning = false;
    for (const ProcessId& process : run.processes)
        s.processRunning = s.processRunning || isRunning(process);
}

void RunRegistry::refreshJobs(const std::vector<Tracked*>& runs) {
    const auto now = std::chrono::steady_clock::now();
    std::vector<Tracked*> due;
    std::vector<std::string> jobIds;
    for (Tracked* run : runs) {
        if (!run->slurm || now - run->jobCheckedAt < kJobPollInterval) continue;
        run->jobCheckedAt = now;
        // Another worker may have submitted it again (a resume).
        run->summary.jobId = readJobId(run->summary.runDir);
        if (run->summary.jobId.empty()) continue;
        due.push_back(run);
        jobIds.push_back(run->summary.jobId);
    }
    if (due.empty()) return;
    try {
        const std::map<std::string, SlurmJobState> jobs = querySlurmJobs(jobIds);
        for (Tracked* run : due) {
            auto found = jobs.find(run->summary.jobId);
            run->summary.job = found == jobs.end() ? std::nullopt : std::optional(found->second);
        }
    } catch (const std::exception& error) {
        for (Tracked* run : due) {
            report(*run, fmt::format("run \"{}\": {}", run->summary.id, error.what()));
            // Never asked successfully: the job counts as alive until squeue says otherwise.
            if (!run->summary.job) run->summary.job = SlurmJobState{"UNKNOWN", error.what()};
        }
    }
}

void RunRegistry::closeIfDead(Tracked& run) {
    refresh(run);
    if (isFinal(run.summary.state) || run.summary.processRunning || !run.launched()) return;
    try {
        RunFolderLock lock(run.summary.runDir);
        closeLocked(run);
    } catch (const std::exception& error) {
        // The run stays as its log says, and the worker goes on; the client hears why.
        report(run, fmt::format("run \"{}\": its trainer ended, but the worker cannot record "
                                "it: {}",
                                run.summary.id, error.what()));
    }
}

void RunRegistry::closeLocked(Tracked& run) {
    // Another worker may have closed or relaunched it before this one got the lock.
    refresh(run);
    if (isFinal(run.summary.state) || run.summary.processRunning || !run.launched()) return;
    // Appending makes this worker the log's writer for a moment: not while any trainer (one
    // started by hand included) holds the folder.
    common::ProcessLock writer(common::trainerLockFile(run.summary.runDir));
    if (!writer.held()) return;
    // The first rank of this host says why it stopped (on a node after the first, often that
    // node 0 went away).
    const RunSummary& s = run.summary;
    std::string error = lastErrorLine(logPath(s.runDir, s.nodeRank * s.numProcesses));
    if (run.slurm && error.empty())
        error = lastErrorLine(s.runDir / "logs" / fmt::format("slurm-{}.out", s.jobId));
    run::EventLog events(s.runDir / "events.jsonl");
    if (!error.empty()) {
        events.runFinished(s.step, run::RunStatus::Failed, error);
    } else if (!run.slurm) {
        events.runFinished(s.step, run::RunStatus::Interrupted,
                           "the trainer process ended without finishing the run");
    } else {
        // Cancelled (a stop while it waited, scancel by hand), a time limit, a node lost.
        const std::string jobState = s.job ? " " + s.job->state : "";
        events.runFinished(
            s.step,
            jobState == " CANCELLED" ? run::RunStatus::Stopped : run::RunStatus::Interrupted,
            fmt::format("the Slurm job {} ended{} without finishing the run", s.jobId, jobState));
    }
    refresh(run);
}

void RunRegistry::report(Tracked& run, const std::string& problem) {
    if (problem == run.reportedProblem) return;
    run.reportedProblem = problem;
    m_notices.push_back(problem);
}

std::vector<std::string> RunRegistry::takeNotices() {
    return std::exchange(m_notices, {});
}

RunSummary RunRegistry::summary(const std::string& id) {
    Tracked& run = tracked(id);
    closeIfDead(run);
    return run.summary;
}

std::vector<RunSummary> RunRegistry::list() {
    std::vector<RunSummary> runs;
    fs::path runsDir = m_workspace / "runs";
    if (!fs::is_directory(runsDir)) return runs;
    std::vector<std::string> ids;
    for (const fs::directory_entry& entry : fs::directory_iterator(runsDir))
        if (fs::exists(entry.path() / "run.json")) ids.push_back(entry.path().filename().string());
    std::sort(ids.begin(), ids.end());
    std::vector<Tracked*> tracking;
    for (const std::string& id : ids)
        tracking.push_back(&tracked(id));
    refreshJobs(tracking);  // one squeue for every Slurm run listed
    for (const std::string& id : ids)
        runs.push_back(summary(id));
    return runs;
}

std::string RunRegistry::newRunId(const std::string& name) {
    std::time_t now = std::time(nullptr);
    std::string base = fmt::format("{}-{:%Y%m%d-%H%M%S}", name, fmt::localtime(now));
    fs::create_directories(m_workspace / "runs");
    for (int attempt = 1;; ++attempt) {
        std::string id = attempt == 1 ? base : fmt::format("{}-{}", base, attempt);
        // create_directory is the claim: two workers starting runs at once get different ids.
        if (fs::create_directory(m_workspace / "runs" / id)) return id;
    }
}

std::string RunRegistry::start(const RunSpec& spec) {
    if (!spec.resumeRun.empty()) {
        Tracked& run = tracked(spec.resumeRun);
        // From the check to process.json under the run's lock: a resume that comes at the same
        // time, from this worker or another, sees these trainers and is refused.
        RunFolderLock lock(run.summary.runDir);
        closeLocked(run);
        requireNoTrainer(run);
        if (run.summary.nodeRank > 0 && spec.master.empty())
            fail(
                "run \"{}\" is node {} of {}: resuming it needs \"master\", HOST:PORT of node "
                "0's new rendezvous",
                spec.resumeRun, run.summary.nodeRank, run.summary.numNodes);
        if (run.summary.nodeRank == 0 && !spec.master.empty())
            fail(
                "run \"{}\" is not a node after the first: its worker picks the rendezvous port "
                "(\"master\" is for nodes 1 and on)",
                spec.resumeRun);
        launch(run, true, spec.masterAddress, spec.master);
        return spec.resumeRun;
    }
    std::optional<run::Stage> stage = run::parseStage(spec.stage);
    if (!stage) fail("start.spec.stage: \"{}\" is not a stage this worker runs", spec.stage);
    if (!spec.name.empty() && !common::isPlainName(spec.name))
        fail(
            "start.spec.name: \"{}\" may hold only letters, digits, '-', '_' and '.', and not "
            "only dots",
            spec.name);

    // The config is read and checked here with the trainer's own reader, so a bad config is
    // refused at once, every path it names must be inside the workspace (made absolute: the run
    // folder is not where the client's relative paths pointed), and run.toml is the whole
    // resolved config. The overrides become part of it, so a resumed run reads the same config.
    common::ConfigReader reader =
        common::ConfigReader::fromString(spec.configText, "start.spec.config");
    for (const std::string& assignment : spec.overrides)
        reader.applyOverride(assignment);
    if (!spec.shards.empty())
        reader.applyOverride("data.shards=" + common::tomlString(spec.shards));
    if (!spec.tokenizer.empty())
        reader.applyOverride("data.tokenizer=" + common::tomlString(spec.tokenizer));
    // Another stage's config would name paths of that stage: refused before anything is read.
    std::string configStage = run::stageName(run::Stage::Pretrain);
    reader.read("train.stage", configStage);
    if (configStage != spec.stage)
        fail("start.spec.config: train.stage is \"{}\", but start.spec.stage is \"{}\"",
             configStage, spec.stage);
    const run::RunConfig config =
        run::readRunConfig(reader, [this](const std::string& text, const std::string& key) {
            return insideWorkspace(text, key);
        });
    const std::string configText = run::runConfigText(config);

    std::string id = newRunId(spec.name.empty() ? spec.stage : spec.name);
    fs::path runDir = m_workspace / "runs" / id;
    try {
        fs::create_directories(runDir / "logs");
        common::AtomicFile toml(runDir / "run.toml");
        toml.write(configText);
        toml.commit();
        JsonWriter info;
        info.beginObject()
            .field("id", id)
            .field("stage", spec.stage)
            .field("nproc", spec.numProcesses)
            .field("nnodes", spec.numNodes)
            .field("node_rank", spec.nodeRank)
            .field("created_at", unixSeconds())
            .field("started_by", common::loginName());
        if (!spec.scheduler.empty()) {
            info.field("scheduler", spec.scheduler).key("sbatch").beginArray();
            for (const std::string& option : spec.sbatchOptions)
                info.value(option);
            info.endArray();
        }
        info.endObject();
        common::AtomicFile json(runDir / "run.json");
        json.write(info.str() + "\n");
        json.commit();
        Tracked& run = tracked(id);
        launch(run, false, spec.masterAddress, spec.master);
    } catch (...) {
        m_runs.erase(id);
        fs::remove_all(runDir);
        throw;
    }
    return id;
}

void RunRegistry::requireNoTrainer(const Tracked& run) const {
    const RunSummary& s = run.summary;
    if (run.slurm && s.processRunning)
        fail("run \"{}\" is {}: its Slurm job {} is {}; only a run that has ended can be resumed",
             s.id, s.state, s.jobId, s.job ? s.job->text() : "alive");
    for (const ProcessId& process : run.processes)
        if (isRunning(process))
            fail(
                "run \"{}\" is {}: its process {} is still running; only a run that has ended "
                "can be resumed",
                s.id, s.state, process.pid);
    // A trainer started by hand (strata-cli train --resume) holds the folder's lock too.
    if (std::optional<pid_t> holder = common::processLockHolder(common::trainerLockFile(s.runDir)))
        fail(
            "run \"{}\": a trainer (process {}) is training in its folder; stop it or wait for "
            "it to end",
            s.id, *holder);
}

void RunRegistry::launch(Tracked& run, bool resume, const std::string& masterAddress,
                         const std::string& master) {
    if (run.slurm) return submit(run);
    RunSummary& s = run.summary;
    fs::create_directories(s.runDir / "logs");
    run::LaunchEnvironment environment;
    environment.worldSize = s.numProcesses * s.numNodes;
    environment.localWorldSize = s.numProcesses;
    // Each host of a several-host run keeps a run folder of its own (no shared storage assumed).
    environment.runDirPerHost = s.numNodes > 1;
    if (s.nodeRank == 0) {
        // A resumed node 0 listens where it did before, unless told another address.
        std::optional<std::pair<std::string, int>> before = run::parseMasterAddress(s.master);
        environment.masterAddr = !masterAddress.empty() ? masterAddress
                                 : before               ? before->first
                                                        : environment.masterAddr;
        environment.masterPort = run::freeTcpPort(environment.masterAddr);
    } else {
        std::optional<std::pair<std::string, int>> address = run::parseMasterAddress(master);
        if (!address)
            fail(
                "run \"{}\" is node {} of {}: \"master\" must be HOST:PORT of node 0's "
                "rendezvous, not \"{}\"",
                s.id, s.nodeRank, s.numNodes, master);
        std::tie(environment.masterAddr, environment.masterPort) = *address;
    }
    s.master = fmt::format("{}:{}", environment.masterAddr, environment.masterPort);
    std::vector<ProcessId> processes;
    for (int local = 0; local < s.numProcesses; ++local) {
        std::vector<std::string> argv{m_cli.string(), "train", (s.runDir / "run.toml").string(),
                                      "--run-dir", s.runDir.string()};
        if (resume) argv.push_back("--resume");
        environment.localRank = local;
        environment.rank = s.nodeRank * s.numProcesses + local;
        processes.push_back(launchDetached(argv, environment.childEnvironment(),
                                           logPath(s.runDir, environment.rank), m_workspace));
    }
    writeProcesses(s.runDir, processes, s.master);
    run.processes = processes;
}

void RunRegistry::submit(Tracked& run) {
    RunSummary& s = run.summary;
    fs::create_directories(s.runDir / "logs");
    SlurmJob job{s.id, s.runDir, m_workspace, m_cli, s.numNodes, s.numProcesses, run.sbatchOptions};
    s.jobId = submitSlurmJob(job);
    writeJobId(s.runDir, s.jobId);
    s.job = SlurmJobState{"PENDING", ""};
    s.processRunning = true;
    run.jobCheckedAt = std::chrono::steady_clock::now();
}

void RunRegistry::control(const std::string& id, RequestKind kind) {
    Tracked& run = tracked(id);
    closeIfDead(run);
    if (!run.summary.processRunning)
        fail("run \"{}\" is {}: it has no process to {}", id, run.summary.state, requestName(kind));
    // The trainer's signal handlers (app/cli/cmd_train.cpp) turn these into requestPause,
    // requestResume and requestStop (SIGTERM would be an interruption): each takes effect
    // between steps.
    int signal = kind == RequestKind::Pause    ? SIGUSR1
                 : kind == RequestKind::Resume ? SIGUSR2
                                               : SIGRTMIN;
    if (run.slurm) {
        const RunSummary& s = run.summary;
        run.jobCheckedAt = {};  // what follows changes the job's state
        if (s.job && s.job->waiting()) {
            if (kind != RequestKind::Stop)
                fail("run \"{}\": its Slurm job {} is {}: no trainer to {} yet", id, s.jobId,
                     s.job->text(), requestName(kind));
            return cancelSlurmJob(s.jobId);
        }
        // srun hands the signal to every rank.
        return signalSlurmJob(s.jobId, signal);
    }
    for (const ProcessId& process : run.processes)
        signalProcess(process, signal);
}

}  // namespace strata::proto
