// `strata-cli launch --nproc N CONFIG`: a multi-process run, as torchrun starts one. It starts N
// `strata-cli train` processes on this host with torchrun's variables (core/distributed's launch
// environment), ranks node_rank * N .. node_rank * N + N - 1 of nproc * nnodes, and waits for
// them. When one fails, the others fail on their own at their next exchange (a closed
// connection, or dist.timeout_s); any still alive after that are killed, so a launch never
// hangs. The ranks run in a process group of their own, and the launch passes its signals on:
// SIGINT and SIGTERM interrupt every rank with a checkpoint, and the worker's control signals
// (SIGUSR1 pause, SIGUSR2 resume, SIGRTMIN stop) steer them all.
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/run/launch_environment.h"
#include "core/run/listen_address.h"
#include "core/run/run_config.h"

#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <thread>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

namespace strata::app {

namespace fs = std::filesystem;
using common::fail;

namespace {

// The ranks' process ids (0 once reaped), for the signal handler.
constexpr int kMaxRanks = 1024;
volatile pid_t g_ranks[kMaxRanks] = {};

void forwardSignal(int signal) {
    for (int i = 0; i < kMaxRanks; ++i)
        if (g_ranks[i] > 0) ::kill(g_ranks[i], signal);
}

pid_t spawnRank(const std::vector<std::string>& argv, const std::vector<std::string>& environment) {
    std::vector<char*> args, env;
    for (const std::string& arg : argv)
        args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    for (const std::string& variable : environment)
        env.push_back(const_cast<char*>(variable.c_str()));
    env.push_back(nullptr);
    // A process group of its own: a Ctrl-C reaches the ranks once, through the launch.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    pid_t pid = 0;
    int code = posix_spawn(&pid, args[0], nullptr, &attributes, args.data(), env.data());
    posix_spawnattr_destroy(&attributes);
    if (code != 0) fail("{}: cannot start a rank: {}", argv[0], std::strerror(code));
    return pid;
}

int exitCode(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::pair<std::string, int> parseMaster(const std::string& text) {
    std::optional<std::pair<std::string, int>> master = run::parseMasterAddress(text);
    if (!master) fail("--master {}: expected HOST:PORT, e.g. 10.0.0.1:29500", text);
    return *master;
}

}  // namespace

int runLaunch(const Args& args) {
    ArgParser parser(
        "strata-cli launch",
        "--nproc N [--nnodes M --node-rank R --master HOST:PORT] CONFIG --run-dir DIR "
        "[--resume] [--set KEY=VALUE]...",
        "Trains CONFIG in N processes on this host (and M hosts in all, each running this\n"
        "command with its --node-rank), data-parallel over torch.distributed: Gloo on the CPU,\n"
        "NCCL on GPUs (rank r takes cuda:LOCAL_RANK). The run's batch is global: each of the\n"
        "N * M processes trains on train.micro_batch_size / (N * M) sequences of every\n"
        "micro-batch. Rank 0 writes the run folder; on several hosts --run-dir must be a\n"
        "folder they share. Resuming works onto any number of processes.");
    parser.positional("CONFIG", 0, 1, "the run config (pretraining)")
        .option("nproc", 0, "N", "processes on this host")
        .option("nnodes", 0, "M", "hosts of the run (default 1)")
        .option("node-rank", 0, "R", "this host among them, from 0 (default 0)")
        .option("master", 0, "HOST:PORT",
                "where rank 0 (on node 0) listens for the rendezvous (default 127.0.0.1 and a "
                "free port; needed with --nnodes)")
        .option("run-dir", 'o', "DIR", "the run folder (default runs/<config name>-<time>)")
        .flag("resume", 0, "continue the run in --run-dir from its latest checkpoint")
        .option("set", 0, "KEY=VALUE", "override one config key (repeatable)");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    if (parsed->positionals().empty()) fail("a CONFIG file is required");
    if (!parsed->has("nproc")) fail("--nproc N is required: the processes to start on this host");
    const int64_t nproc = parsed->intValue("nproc", 1);
    const int64_t nnodes = parsed->intValue("nnodes", 1);
    const int64_t nodeRank = parsed->intValue("node-rank", 0);
    if (nproc < 1 || nproc > kMaxRanks)
        fail("--nproc {}: expected 1 to {} processes", nproc, kMaxRanks);
    if (nnodes < 1 || nnodes > kMaxRanks)
        fail("--nnodes {}: expected 1 to {} hosts", nnodes, kMaxRanks);
    if (nodeRank < 0 || nodeRank >= nnodes)
        fail("--node-rank {}: expected 0 to {} (--nnodes {})", nodeRank, nnodes - 1, nnodes);
    if (nnodes > 1 && !parsed->has("master"))
        fail("--nnodes {}: every host needs --master HOST:PORT, the address of node 0", nnodes);
    if (nnodes > 1 && !parsed->has("run-dir"))
        fail("--nnodes {}: every host needs the same --run-dir, on storage they share", nnodes);
    if (parsed->flag("resume") && !parsed->has("run-dir"))
        fail("--resume needs --run-dir: the run folder to continue");

    const fs::path configPath = parsed->positionals()[0];
    // Read here too, so a config error is one message rather than one per rank.
    run::RunConfig config = run::loadRunConfig(configPath, parsed->values("set"));
    run::LaunchEnvironment base;
    base.worldSize = int(nproc * nnodes);
    run::requireRunSplitsAcross(config, base.worldSize);
    base.localWorldSize = int(nproc);
    if (parsed->has("master")) {
        std::tie(base.masterAddr, base.masterPort) = parseMaster(parsed->value("master"));
    } else {
        base.masterPort = run::freeTcpPort();
    }
    fs::path runDir =
        parsed->has("run-dir") ? fs::path(parsed->value("run-dir")) : defaultRunDir(configPath);

    std::vector<std::string> argv{fs::read_symlink("/proc/self/exe").string(), "train",
                                  configPath.string(), "--run-dir", runDir.string()};
    if (parsed->flag("resume")) argv.push_back("--resume");
    for (const std::string& assignment : parsed->values("set")) {
        argv.push_back("--set");
        argv.push_back(assignment);
    }

    for (int signal : {SIGINT, SIGTERM, SIGUSR1, SIGUSR2, int(SIGRTMIN)})
        std::signal(signal, forwardSignal);
    for (int local = 0; local < nproc; ++local) {
        run::LaunchEnvironment launch = base;
        launch.localRank = local;
        launch.rank = int(nodeRank * nproc) + local;
        g_ranks[local] = spawnRank(argv, launch.childEnvironment());
    }
    fmt::print(stderr, "launched ranks {}..{} of {} (master {}:{}), run folder {}\n",
               nodeRank * nproc, nodeRank * nproc + nproc - 1, base.worldSize, base.masterAddr,
               base.masterPort, runDir.string());

    const auto grace = std::chrono::seconds(config.dist.timeoutSeconds + 30);
    std::optional<std::chrono::steady_clock::time_point> failedAt;
    int result = 0;
    for (int64_t running = nproc; running > 0;) {
        if (failedAt && std::chrono::steady_clock::now() - *failedAt > grace)
            forwardSignal(SIGKILL);
        int status = 0;
        pid_t done = ::waitpid(-1, &status, WNOHANG);
        if (done <= 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            continue;
        }
        int local = 0;
        while (local < nproc && g_ranks[local] != done)
            ++local;
        if (local == nproc) continue;
        g_ranks[local] = 0;
        --running;
        const int code = exitCode(status);
        if (code != 0 && result == 0) {
            result = code;
            failedAt = std::chrono::steady_clock::now();
            fmt::print(stderr, "rank {} exited with status {}; the other ranks stop with it\n",
                       nodeRank * nproc + local, code);
        }
    }
    return result;
}

}  // namespace strata::app
