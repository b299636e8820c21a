#include "app/cli/run_access.h"

#include "app/cli/workspace.h"
#include "core/common/error.h"
#include "core/common/workspace_paths.h"
#include "core/proto/json_fields.h"
#include "core/proto/run_client.h"
#include "core/proto/slurm_job.h"
#include "core/proto/workspace_runs.h"
#include "core/run/metric_keys.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <csignal>

namespace strata::app {

namespace fs = std::filesystem;

namespace {

volatile std::sig_atomic_t g_detach = 0;

void onInterrupt(int) {
    g_detach = 1;
}

// While it lives, Ctrl-C detaches from the run followed (g_detach) instead of ending strata-cli.
class DetachOnInterrupt {
public:
    DetachOnInterrupt() {
        struct sigaction action {};
        action.sa_handler = onInterrupt;
        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, &m_previous);
        g_detach = 0;
    }
    ~DetachOnInterrupt() { sigaction(SIGINT, &m_previous, nullptr); }
    DetachOnInterrupt(const DetachOnInterrupt&) = delete;
    DetachOnInterrupt& operator=(const DetachOnInterrupt&) = delete;

private:
    struct sigaction m_previous {};
};

int exitCodeOf(store::RunState state) {
    return state == store::RunState::Completed || state == store::RunState::Stopped ? 0 : 1;
}

proto::WorkerTarget targetNamed(const ParsedArgs& parsed, const fs::path& workspace,
                                const std::string& name) {
    proto::WorkerTarget target = proto::parseTarget(name, sshSettingsOf(parsed));
    if (target.isLocal()) return localWorkerTarget(workspace);
    target.workspace = parsed.value("remote-workspace");
    if (target.slurm) {
        target.sbatchOptions = parsed.values("sbatch-option");
        for (const std::string& option : target.sbatchOptions)
            proto::requireSbatchOption(option, "--sbatch-option");
    }
    return target;
}

}  // namespace

void addTargetOptions(ArgParser& parser) {
    parser.option("target", 't', "TARGET",
                  "where the worker runs: local (default), ssh://[user@]host[:port], or "
                  "slurm://[user@]login-host[:port] (runs as Slurm batch jobs)");
    addSshOptions(parser);
    parser.option("remote-workspace", 0, "DIR", "ssh, slurm: the workspace on the remote host")
        .option("sbatch-option", 0, "--NAME[=VALUE]",
                "slurm: an sbatch option for the run's job, e.g. --partition=gpu (repeatable)")
        .option("master-address", 0, "HOST",
                "several --target: the address the other hosts reach the first by (default: "
                "its ssh host name)");
}

proto::WorkerTarget localWorkerTarget(const fs::path& workspace) {
    proto::WorkerTarget target;
    target.cli = fs::read_symlink("/proc/self/exe").string();
    target.workspace = fs::absolute(workspace).string();
    return target;
}

std::vector<proto::WorkerTarget> targetsOf(const ParsedArgs& parsed, const fs::path& workspace) {
    std::vector<std::string> names = parsed.values("target");
    if (names.empty()) names.push_back("local");
    std::vector<proto::WorkerTarget> targets;
    for (const std::string& name : names)
        targets.push_back(targetNamed(parsed, workspace, name));
    targets[0].masterAddress = parsed.value("master-address");
    return targets;
}

std::vector<proto::WorkerTarget> targetsOfRun(const ParsedArgs& parsed, const fs::path& workspace,
                                              const store::RunRecord& run) {
    auto targetOfHost = [&](const std::string& host, const std::string& runDir) {
        proto::WorkerTarget target = targetNamed(parsed, workspace, host);
        if (!target.isLocal() && target.workspace.empty())
            target.workspace = fs::path(runDir).parent_path().parent_path().string();
        return target;
    };
    std::vector<proto::WorkerTarget> targets{targetOfHost(run.host, run.runDir)};
    for (const store::RunNode& node : run.nodes)
        targets.push_back(targetOfHost(node.host, node.runDir));
    targets[0].masterAddress = parsed.value("master-address");
    return targets;
}

fs::path historyPath(const fs::path& workspace) {
    fs::create_directories(workspace);
    return common::historyFile(workspace);
}

int64_t findRun(store::RunCatalog& runs, const std::string& text) {
    int64_t id = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error == std::errc() && end == text.data() + text.size()) return runs.run(id).id;
    store::RunFilter filter;
    filter.nameContains = text;
    for (const store::RunRecord& run : runs.listRuns(filter))
        if (run.name == text) return run.id;
    common::fail("no run \"{}\" in the run history (see strata-cli runs list)", text);
}

int followWithProgress(store::RunHistory& history, const proto::WorkerTarget& target,
                       int64_t runId) {
    DetachOnInterrupt interrupt;
    auto lastPrint = std::chrono::steady_clock::now();
    proto::FollowOptions options;
    options.keepGoing = [] { return g_detach == 0; };
    options.onNotice = [](const std::string& notice) { fmt::print(stderr, "{}\n", notice); };
    options.onEvent = [&](const proto::WorkerMessage& event) {
        simdjson::dom::parser parser;
        simdjson::dom::element data;
        if (parser.parse(event.dataJson).get(data)) return;
        int64_t step = proto::fieldOr<int64_t>(data, "step", 0);
        double loss = 0;
        auto now = std::chrono::steady_clock::now();
        if (event.type == "metrics" && !data[run::kMetricLoss].get(loss) &&
            now - lastPrint >= std::chrono::seconds(1)) {
            lastPrint = now;
            fmt::print(stderr, "step {}: loss {:.4f}\n", step, loss);
        } else if (event.type == "eval" && !data[run::kMetricLoss].get(loss)) {
            fmt::print(stderr, "step {}: validation loss {:.4f}\n", step, loss);
        } else if (event.type == "checkpoint") {
            fmt::print(stderr, "step {}: checkpoint saved\n", step);
        } else if (std::string_view message = proto::fieldOr<std::string_view>(data, "message", "");
                   event.type == "run_finished" && !message.empty()) {
            fmt::print(stderr, "{}\n", message);
        } else if (event.type == "run_started" || event.type == "paused" ||
                   event.type == "resumed") {
            fmt::print(stderr, "{} at step {}\n", event.type, step);
        }
    };
    store::RunState state = proto::followRun(history, target, runId, options);
    store::RunRecord run = history.run(runId);
    if (g_detach) {
        fmt::print(stderr, "detached from {} at seq {}; it goes on (strata-cli attach {})\n",
                   run.name, run.lastSeq, run.name);
        return 0;
    }
    fmt::print(stderr, "run {} {} at step {}\n", run.name, store::runStateName(state),
               run.lastStep);
    return exitCodeOf(state);
}

int followWorkspaceRunWithProgress(const proto::WorkerTarget& workspace, int64_t runId,
                                   int64_t afterSeq) {
    DetachOnInterrupt interrupt;
    store::RunRecord last;
    proto::WorkspaceFollowOptions options;
    options.afterSeq = afterSeq;
    options.keepGoing = [] { return g_detach == 0; };
    options.onNotice = [](const std::string& notice) { fmt::print(stderr, "{}\n", notice); };
    options.onProgress = [&](const store::RunRecord& run) {
        if (run.state != last.state)
            fmt::print(stderr, "{} at step {}\n", store::runStateName(run.state), run.lastStep);
        else if (run.lastStep != last.lastStep && !std::isnan(run.lastLoss))
            fmt::print(stderr, "step {}: loss {:.4f}\n", run.lastStep, run.lastLoss);
        last = run;
    };
    store::RunState state = proto::followWorkspaceRun(workspace, runId, options);
    if (g_detach) {
        fmt::print(stderr, "detached from {}; it goes on\n", last.name);
        return 0;
    }
    fmt::print(stderr, "run {} {} at step {}\n", last.name, store::runStateName(state),
               last.lastStep);
    return exitCodeOf(state);
}

}  // namespace strata::app
