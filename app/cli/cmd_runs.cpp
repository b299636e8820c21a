// `strata-cli runs`: the workspace's run history from the command line: list, show, diff and
// export what reviewers compare, back the history up, and start or steer runs through a worker.
#include "app/cli/commands.h"
#include "app/cli/run_access.h"
#include "app/cli/workspace.h"
#include "core/common/error.h"
#include "core/proto/history_messages.h"
#include "core/proto/remote_run_catalog.h"
#include "core/proto/run_client.h"
#include "core/proto/workspace_runs.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <cmath>
#include <map>

namespace strata::app {

namespace fs = std::filesystem;
using common::fail;

namespace {

std::string timeText(double unixSeconds) {
    if (unixSeconds <= 0) return "-";
    return fmt::format("{:%Y-%m-%d %H:%M}", fmt::localtime(std::time_t(unixSeconds)));
}

std::string lossText(double loss) {
    return std::isnan(loss) ? "-" : fmt::format("{:.4f}", loss);
}

store::RunFilter runFilterOf(const ParsedArgs& parsed) {
    store::RunFilter filter;
    filter.nameContains = parsed.value("name");
    if (parsed.has("stage")) filter.stage = parsed.value("stage");
    if (parsed.has("state")) filter.state = store::parseRunState(parsed.value("state"));
    if (parsed.has("host")) filter.host = parsed.value("host");
    if (parsed.has("tag")) filter.tag = parsed.value("tag");
    try {
        filter.sortBy = proto::parseRunSortKey(parsed.value("sort", "created"));
    } catch (const common::Error& error) {
        fail("--sort {}", error.what());
    }
    filter.descending = !parsed.flag("ascending");
    return filter;
}

// "  job 4242 PENDING (Priority)" for a run submitted to Slurm, else empty.
std::string jobText(const store::RunRecord& run) {
    if (run.jobId.empty()) return {};
    return fmt::format("  job {} {}", run.jobId, run.jobState);
}

int printRuns(const std::vector<store::RunRecord>& runs) {
    fmt::print("{:>4}  {:<32} {:<9} {:<12} {:>8} {:>9}  {:<16} {}\n", "id", "name", "stage",
               "state", "step", "loss", "created", "host");
    for (const store::RunRecord& run : runs)
        fmt::print("{:>4}  {:<32} {:<9} {:<12} {:>8} {:>9}  {:<16} {}{}\n", run.id, run.name,
                   run.stage, store::runStateName(run.state), run.lastStep, lossText(run.lastLoss),
                   timeText(run.createdAt), run.host, jobText(run));
    return 0;
}

int showRun(store::RunCatalog& runs, int64_t runId) {
    store::RunRecord run = runs.run(runId);
    fmt::print("run {} ({})\n  stage    {}\n  state    {}\n  host     {}\n  folder   {}\n", run.id,
               run.name, run.stage, store::runStateName(run.state), run.host, run.runDir);
    fmt::print("  created  {}\n  started  {}\n  ended    {}\n  step     {}\n  loss     {}\n",
               timeText(run.createdAt), timeText(run.startedAt), timeText(run.endedAt),
               run.lastStep, lossText(run.lastLoss));
    if (!run.createdBy.empty()) fmt::print("  by       {}\n", run.createdBy);
    if (!run.jobId.empty()) fmt::print("  job      {} {}\n", run.jobId, run.jobState);
    if (!run.tags.empty()) fmt::print("  tags     {}\n", fmt::join(run.tags, ", "));
    if (!run.notes.empty()) fmt::print("  notes    {}\n", run.notes);
    fmt::print("metrics: {}\n", fmt::join(runs.metricKeys(runId), ", "));
    for (const store::CheckpointRow& checkpoint : runs.checkpoints(runId))
        fmt::print("checkpoint step {}: {} (validation loss {})\n", checkpoint.step,
                   checkpoint.path, lossText(checkpoint.valLoss));
    for (const store::RunComment& comment : runs.comments(runId))
        fmt::print("comment by {}, {}: {}\n", comment.author, timeText(comment.createdAt),
                   comment.body);
    fmt::print("config:\n{}", run.configText);
    return 0;
}

int diffRuns(store::RunCatalog& runs, int64_t left, int64_t right) {
    std::vector<store::ConfigDifference> differences = runs.diffConfigs(left, right);
    if (differences.empty()) {
        fmt::print("the configs are the same\n");
        return 0;
    }
    size_t width = 0;
    for (const store::ConfigDifference& difference : differences)
        width = std::max(width, difference.key.size());
    for (const store::ConfigDifference& difference : differences)
        fmt::print("{:<{}}  {}  →  {}\n", difference.key, width,
                   difference.left.empty() ? "(absent)" : difference.left,
                   difference.right.empty() ? "(absent)" : difference.right);
    return 0;
}

// The run a start asks for: the config (data paths relative to its folder when `local`, else to
// the remote workspace), --name, --set and --nproc.
proto::RunSpec runSpecOf(const ParsedArgs& parsed, const std::string& config, bool local) {
    proto::RunSpec spec = proto::runSpecFromFile(config, local);
    if (parsed.has("name")) spec.name = parsed.value("name");
    spec.overrides = parsed.values("set");
    const int64_t nproc = parsed.intValue("nproc", 1);
    if (nproc < 1 || nproc > 1024) fail("--nproc {}: expected 1 to 1024 processes", nproc);
    spec.numProcesses = int(nproc);
    return spec;
}

void requireOperands(const std::string& action, const std::vector<std::string>& operands,
                     size_t count, const char* what) {
    if (operands.size() != count) fail("runs {} needs {}", action, what);
}

// What reviewers do, on a workspace here or on another host: list, show, diff, export, comment.
// Returns nullopt for any other action.
std::optional<int> reviewRuns(store::RunCatalog& runs, const std::string& action,
                              const std::vector<std::string>& operands, const ParsedArgs& parsed) {
    if (action == "list") return printRuns(runs.listRuns(runFilterOf(parsed)));
    if (action == "diff") {
        requireOperands(action, operands, 2, "two runs");
        return diffRuns(runs, findRun(runs, operands[0]), findRun(runs, operands[1]));
    }
    if (action != "show" && action != "comment" && action != "export") return std::nullopt;
    requireOperands(action, operands, 1, "one run");
    int64_t runId = findRun(runs, operands[0]);
    if (action == "show") return showRun(runs, runId);
    if (action == "comment") {
        if (!parsed.has("text")) fail("runs comment needs --text TEXT");
        runs.addComment(runId, parsed.value("author"), parsed.value("text"));
        return 0;
    }
    if (!parsed.has("output")) fail("runs export needs -o FILE");
    runs.exportMetricsCsv(runId, parsed.value("output"));
    return 0;
}

}  // namespace

int runRuns(const Args& args) {
    ArgParser parser(
        "strata-cli runs", "ACTION [ARGS...] [--workspace DIR]",
        "The workspace's run history (WORKSPACE/strata.db). Actions:\n"
        "  list [--stage S] [--state S] [--host H] [--tag T] [--name TEXT] [--sort KEY]\n"
        "  show RUN                 the run's record, metrics, checkpoints and config\n"
        "  diff RUN RUN             the two runs' configs, key by key\n"
        "  export RUN -o FILE.csv   every metric: key,step,value,wall_time,rank\n"
        "  backup -o FILE.db        a consistent copy of the history, even while runs write\n"
        "  start CONFIG [--target T]... [--nproc N] [--name N] [--tag T] [--set K=V] [--detach]\n"
        "                           start a run through a worker and follow it; several\n"
        "                           --target: one run across those hosts, N ranks on each\n"
        "  pause|resume|stop RUN    steer a running run through its worker\n"
        "  continue RUN             continue an ended run from its latest checkpoint\n"
        "  comment RUN --text TEXT  add a comment to the run, as --author (default: the login;\n"
        "                           on ssh://, the SSH login)\n"
        "RUN is a run's id or name. A local run's data paths are relative to its CONFIG's\n"
        "folder, as for strata-cli train; a remote run's to the remote workspace.");
    parser
        .positional("ACTION", 1, 1,
                    "list, show, diff, export, backup, start, pause, resume, "
                    "stop, continue or comment")
        .positional("ARGS", 0, 2, "the action's runs or config")
        .option("workspace", 'w', "WORKSPACE",
                "the workspace (default: the sample workspace), or ssh://[user@]host[:port]/path "
                "for every action but backup")
        .option("output", 'o', "FILE", "export, backup: where to write")
        .option("stage", 0, "STAGE", "list: only this stage")
        .option("state", 0, "STATE", "list: only runs in this state")
        .option("host", 0, "HOST", "list: only runs on this host (local, ssh://...)")
        .option("tag", 0, "TAG", "list: only runs with this tag; start: tag the run")
        .option("name", 0, "TEXT", "list: names containing TEXT; start: the run's name")
        .option("set", 0, "KEY=VALUE", "start: override one config key (repeatable)")
        .option("nproc", 0, "N", "start: processes (ranks) on each host (default 1)")
        .option("nodes", 0, "N", "start on a slurm:// target: nodes of the job (default 1)")
        .option("sort", 0, "KEY", "list: created (default), name, state, stage, host, step, loss")
        .option("text", 0, "TEXT", "comment: what to say")
        .option("author", 0, "NAME", "comment: who says it (default: the login name)")
        .flag("ascending", 0, "list: smallest first")
        .flag("detach", 'd', "start, continue: do not follow the run");
    addTargetOptions(parser);
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    const std::string action = parsed->positionals()[0];
    std::vector<std::string> operands(parsed->positionals().begin() + 1,
                                      parsed->positionals().end());
    auto needOperands = [&](size_t count, const char* what) {
        requireOperands(action, operands, count, what);
    };
    auto output = [&] {
        if (!parsed->has("output")) fail("runs {} needs -o FILE", action);
        return fs::path(parsed->value("output"));
    };

    const std::map<std::string, proto::RequestKind, std::less<>> controls{
        {"pause", proto::RequestKind::Pause},
        {"resume", proto::RequestKind::Resume},
        {"stop", proto::RequestKind::Stop}};

    // A workspace of another host: its worker keeps the history, from its run folders, and
    // starts and steers the workspace's runs.
    if (std::optional<proto::WorkerTarget> remote = remoteWorkspaceOf(*parsed)) {
        proto::RemoteRunCatalog runs(*remote);
        if (std::optional<int> done = reviewRuns(runs, action, operands, *parsed)) return *done;
        if (action == "start") {
            needOperands(1, "the run config file");
            if (parsed->has("target") || parsed->has("nodes"))
                fail(
                    "runs start: a run of a workspace on another host runs there, by its worker; "
                    "--target and --nodes are for a workspace of this machine");
            proto::RunSpec spec = runSpecOf(*parsed, operands[0], false);
            int64_t runId = proto::startWorkspaceRun(*remote, spec, parsed->values("tag"));
            fmt::print("{}\n", runs.run(runId).name);
            return parsed->flag("detach") ? 0 : followWorkspaceRunWithProgress(*remote, runId);
        }
        if (auto control = controls.find(action); control != controls.end()) {
            needOperands(1, "one run");
            proto::controlWorkspaceRun(*remote, findRun(runs, operands[0]), control->second);
            return 0;
        }
        if (action == "continue") {
            needOperands(1, "one run");
            const int64_t runId = findRun(runs, operands[0]);
            const int64_t before = proto::continueWorkspaceRun(*remote, runId);
            return parsed->flag("detach") ? 0
                                          : followWorkspaceRunWithProgress(*remote, runId, before);
        }
        fail(
            "runs {}: on a workspace of another host, list, show, diff, export, comment, start, "
            "pause, resume, stop and continue work; run it on the host",
            action);
    }
    fs::path workspace = workspaceOf(*parsed);
    store::RunHistory history(historyPath(workspace));
    store::LocalRunCatalog runs(history, workspace);
    if (std::optional<int> done = reviewRuns(runs, action, operands, *parsed)) return *done;
    if (action == "backup") {
        needOperands(0, "no runs, only -o FILE");
        history.backup(output());
        return 0;
    }
    if (action == "start") {
        needOperands(1, "the run config file");
        std::vector<proto::WorkerTarget> hosts = targetsOf(*parsed, workspace);
        proto::RunSpec spec =
            runSpecOf(*parsed, operands[0], hosts.size() == 1 && hosts[0].isLocal());
        if (parsed->has("nodes")) {
            const int64_t nodes = parsed->intValue("nodes", 1);
            if (hosts.size() != 1 || !hosts[0].slurm)
                fail("--nodes is for one slurm:// target; give several --target for SSH hosts");
            if (nodes < 1 || nodes > 1024) fail("--nodes {}: expected 1 to 1024 nodes", nodes);
            spec.numNodes = int(nodes);
        }
        std::vector<std::string> tags = parsed->values("tag");
        int64_t runId = proto::startRunAcrossHosts(history, hosts, spec, tags);
        fmt::print("{}\n", history.run(runId).name);
        return parsed->flag("detach") ? 0 : followWithProgress(history, hosts[0], runId);
    }
    needOperands(1, "one run");
    int64_t runId = findRun(runs, operands[0]);
    std::vector<proto::WorkerTarget> hosts = targetsOfRun(*parsed, workspace, history.run(runId));
    if (action == "continue") {
        proto::resumeRun(history, hosts, runId);
        return parsed->flag("detach") ? 0 : followWithProgress(history, hosts[0], runId);
    }
    auto control = controls.find(action);
    if (control == controls.end())
        fail(
            "unknown action \"{}\" (list, show, diff, export, backup, start, pause, resume, "
            "stop, continue, comment)",
            action);
    proto::controlRun(history, hosts, runId, control->second);
    return 0;
}

}  // namespace strata::app
