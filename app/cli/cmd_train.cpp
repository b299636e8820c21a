// `strata-cli train CONFIG`: a pretraining run in a run folder (run.toml, events.jsonl,
// checkpoints/). Signals steer it between steps: SIGINT and SIGTERM interrupt it with a
// checkpoint (`--resume` continues it), SIGUSR1 pauses, SIGUSR2 resumes, and SIGRTMIN stops it
// for good with a checkpoint. The worker sends the last three for its clients' requests.
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "core/align/stage_trainers.h"
#include "core/common/atomic_file.h"
#include "core/common/atomic_folder.h"
#include "core/common/error.h"
#include "core/common/process_lock.h"
#include "core/common/workspace_paths.h"
#include "core/run/event_log.h"
#include "core/run/launch_environment.h"
#include "core/run/run_config.h"
#include "core/train/console_reporter.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <csignal>
#include <ctime>
#include <optional>

namespace strata::app {

namespace fs = std::filesystem;
using common::fail;

namespace {

train::TrainingLoop* g_activeTrainer = nullptr;
volatile std::sig_atomic_t g_signal = 0;
// Control signals that arrive while the trainer is still being built (loading data can take a
// while) wait here until it exists.
volatile std::sig_atomic_t g_pendingPause = 0;  // 1 pause, 2 resume
volatile std::sig_atomic_t g_pendingStop = 0;

void applyControl() {
    if (!g_activeTrainer) return;
    if (g_pendingPause == 1) g_activeTrainer->requestPause();
    if (g_pendingPause == 2) g_activeTrainer->requestResume();
    if (g_pendingStop) g_activeTrainer->requestStop();
}

void onControlSignal(int signal) {
    if (signal == SIGUSR1) g_pendingPause = 1;
    if (signal == SIGUSR2) g_pendingPause = 2;
    if (signal == SIGRTMIN) g_pendingStop = 1;
    applyControl();
}

void onSignal(int signal) {
    // A second Ctrl-C is the user insisting: die as the signal would have, without a checkpoint.
    if (g_signal != 0) {
        std::signal(signal, SIG_DFL);
        std::raise(signal);
        return;
    }
    g_signal = signal;
    if (g_activeTrainer) g_activeTrainer->requestInterrupt();
}

struct sigaction install(int signal, void (*handler)(int)) {
    struct sigaction action {
    }, previous{};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    sigaction(signal, &action, &previous);
    return previous;
}

// From the start of the command: the control signals' default action would kill the process.
void recordControlSignals() {
    for (int signal : {SIGUSR1, SIGUSR2, int(SIGRTMIN)})
        install(signal, onControlSignal);
}

// While alive, the control signals steer `trainer`, and SIGINT and SIGTERM ask it to stop with a
// checkpoint after the step in flight instead of killing the process (a second one kills it).
class SignalHandlers {
public:
    explicit SignalHandlers(train::TrainingLoop& trainer) {
        g_activeTrainer = &trainer;
        applyControl();
        m_previousInt = install(SIGINT, onSignal);
        m_previousTerm = install(SIGTERM, onSignal);
    }
    ~SignalHandlers() {
        sigaction(SIGINT, &m_previousInt, nullptr);
        sigaction(SIGTERM, &m_previousTerm, nullptr);
        g_activeTrainer = nullptr;
    }

private:
    struct sigaction m_previousInt {};
    struct sigaction m_previousTerm {};
};

// The outermost folder on the way to `path` that does not exist yet; empty when `path` exists.
fs::path outermostMissingFolder(const fs::path& path) {
    fs::path missing;
    for (fs::path folder = fs::absolute(path); !fs::exists(folder); folder = folder.parent_path())
        missing = folder;
    return missing;
}

}  // namespace

fs::path defaultRunDir(const fs::path& config) {
    std::time_t now = std::time(nullptr);
    return fs::path("runs") /
           fmt::format("{}-{:%Y%m%d-%H%M%S}", config.stem().string(), fmt::localtime(now));
}

int runTrain(const Args& args) {
    ArgParser parser(
        "strata-cli train", "CONFIG [--run-dir DIR] [--resume] [--set KEY=VALUE]...",
        "Trains the stage of CONFIG (train.stage: pretrain on token shards, or an alignment\n"
        "stage from init.model; TOML, one table per concern, see --print-default-config\n"
        "[--stage S]). The run folder gets run.toml (the resolved config),\n"
        "events.jsonl (every step's metrics) and checkpoints/step-NNNNNNN/. Ctrl-C saves a\n"
        "checkpoint and stops; --resume continues from the latest checkpoint.");
    parser.positional("CONFIG", 0, 1, "the run config (see --print-default-config)")
        .option("run-dir", 'o', "DIR", "the run folder (default runs/<config name>-<time>)")
        .flag("resume", 0, "continue the run in --run-dir from its latest checkpoint")
        .flag("resume-if-checkpoint", 0,
              "continue from the latest checkpoint when --run-dir has one, else start (for a "
              "batch job its scheduler may run again)")
        .option("set", 0, "KEY=VALUE", "override one config key, e.g. optim.lr=1e-3 (repeatable)")
        .flag("print-default-config", 0, "print every setting with its default and exit")
        .option("stage", 0, "STAGE",
                "with --print-default-config: the stage's config (default pretrain)");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    if (parsed->flag("print-default-config")) {
        std::string name = parsed->value("stage", "pretrain");
        std::optional<run::Stage> stage = run::parseStage(name);
        if (!stage) fail("--stage must be {}, not \"{}\"", run::stageNameList(), name);
        fmt::print("{}", run::defaultRunConfigText(*stage));
        return 0;
    }
    if (parsed->positionals().empty()) fail("a CONFIG file is required");
    for (const char* resumeFlag : {"resume", "resume-if-checkpoint"})
        if (parsed->flag(resumeFlag) && !parsed->has("run-dir"))
            fail("--{} needs --run-dir: the run folder to continue", resumeFlag);

    recordControlSignals();
    run::LaunchEnvironment launch = run::launchEnvironmentFromProcess();
    // Each rank would otherwise name its own folder after its own clock.
    if (launch.worldSize > 1 && !parsed->has("run-dir"))
        fail("WORLD_SIZE={}: every process of a multi-process run needs the same --run-dir",
             launch.worldSize);

    fs::path configPath = parsed->positionals()[0];
    run::RunConfig config = run::loadRunConfig(configPath, parsed->values("set"));
    if (launch.worldSize > 1 && config.stage != run::Stage::Pretrain)
        fail(
            "WORLD_SIZE={}: train.stage = \"{}\" trains in one process; several processes train "
            "pretraining only",
            launch.worldSize, run::stageName(config.stage));
    fs::path runDir =
        parsed->has("run-dir") ? fs::path(parsed->value("run-dir")) : defaultRunDir(configPath);

    // The process that writes the run folder holds its trainer lock from before it reads a
    // checkpoint until it exits: a second trainer on the folder stops here, naming this one.
    std::optional<common::ProcessLock> claim;
    fs::path madeFolder;  // the outermost folder made here, if any
    if (launch.writesRunFolder()) {
        madeFolder = outermostMissingFolder(runDir);
        fs::create_directories(runDir);
        claim.emplace(common::trainerLockFile(runDir));
        if (!claim->held())
            fail(
                "{}: a trainer (process {}) is already training in this run folder; stop it or "
                "wait for it to end",
                runDir.string(), claim->holder());
        common::recoverStagingFolders(runDir / "checkpoints");
    }

    // Nothing else is written until the trainer has checked the config, tokenizer and data.
    train::ConsoleReporter console(config.train.maxSteps, config.train.logEvery);
    run::SinkFanOut sinks({&console});
    std::unique_ptr<train::TrainingLoop> trainer;
    const bool resume = parsed->flag("resume") ||
                        (parsed->flag("resume-if-checkpoint") && align::hasCheckpoint(runDir));
    try {
        trainer = align::makeStageTrainer(config, runDir, sinks, resume);
    } catch (...) {
        // A run that cannot start leaves no folder behind that it made itself.
        if (!madeFolder.empty()) {
            claim.reset();
            std::error_code ignored;
            fs::remove_all(madeFolder, ignored);
        }
        throw;
    }
    // Rank 0 writes the run folder (with a folder per host, each host's first rank writes its
    // own); the other ranks' progress goes to their own output, and their log lines to rank 0's
    // events too (core/run/rank_events.h).
    std::optional<run::EventLog> events;
    if (launch.writesRunFolder()) {
        common::AtomicFile runToml(runDir / "run.toml");
        runToml.write(run::runConfigText(config));
        runToml.commit();
        events.emplace(runDir / "events.jsonl", launch.rank);
        sinks.add(&*events);
    }
    fmt::print(stderr, "run folder: {}\n", runDir.string());

    run::RunStatus status;
    {
        SignalHandlers signals(*trainer);
        status = trainer->run();
    }
    if (status == run::RunStatus::Interrupted) {
        fmt::print(stderr, "continue with: strata-cli train {} --run-dir {} --resume\n",
                   configPath.string(), runDir.string());
        return 128 + int(g_signal);
    }
    return 0;
}

}  // namespace strata::app
