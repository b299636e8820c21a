// `strata-cli demo init|data|pretrain|align`: the sample pipelines end to end, made of the same
// commands a user would type (each is printed before it runs). init: the sample workspace as the
// studio opens it. data: clean → tokenizer train → shard → datasets record → inspect. pretrain:
// train a tiny MoE model on the sample shards through a local worker, into the run history, as the
// studio runs it → generate from it. align: the sample tasks → SFT → GRPO from the pretrained
// model, with held-out exact match after each stage.
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "app/cli/run_access.h"
#include "app/cli/workspace.h"
#include "core/align/task_eval.h"
#include "core/cleaning/sample_sources.h"
#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/toml_text.h"
#include "core/data/sample_tasks.h"
#include "core/proto/run_client.h"
#include "core/run/event_log.h"
#include "core/train/checkpoint.h"
#include "resources/sample/sample_configs.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>

namespace strata::app {

namespace fs = std::filesystem;
using common::fail;

namespace {

constexpr const char* kSampleVocabSize = "8192";
constexpr const char* kInspectText = "Strata trains language models: 训练语言模型 🎉";
constexpr const char* kGeneratePrompt = "The Python interpreter";
// The sample tasks: solved examples for SFT, prompts for GRPO, held-out tests; answers are short.
constexpr size_t kSftDemonstrations = 3000;
constexpr size_t kRlPrompts = 4000;
constexpr size_t kTestTasks = 400;
constexpr uint64_t kTaskSeed = 7;
constexpr int kAnswerTokens = 12;

void runStep(const char* name, int (*command)(const Args&), const Args& args) {
    std::string shown = fmt::format("$ strata-cli {}", name);
    for (const std::string& arg : args)
        shown += arg.find(' ') == std::string::npos ? " " + arg : " '" + arg + "'";
    fmt::print(stderr, "\n{}\n", shown);
    if (command(args) != 0) fail("the sample pipeline stopped at `strata-cli {}`", name);
}

// Writes a sample config into the workspace once; later runs keep the user's edits.
fs::path writeSampleConfig(const fs::path& workspace, const char* name, std::string_view text) {
    fs::path path = workspace / "configs" / name;
    if (fs::exists(path)) return path;
    fs::create_directories(path.parent_path());
    common::AtomicFile file(path);
    file.write(text);
    file.commit();
    return path;
}

// The sample workspace before anything runs: the sample configs in configs/, the raw corpus in
// datasets/sample/raw and the list of its sources in datasets/sample/sources.txt (what the
// studio's Data page opens). Files already there are kept, with the user's edits.
cleaning::SampleSources initSample(const fs::path& workspace) {
    fs::path dataset = workspace / "datasets" / "sample";
    fs::create_directories(dataset);
    writeSampleConfig(workspace, "clean.toml", resources::sampleCleanConfig());
    writeSampleConfig(workspace, "pretrain.toml", resources::samplePretrainConfig());
    cleaning::SampleSources sources = cleaning::collectSampleSources(dataset / "raw");
    if (!fs::exists(dataset / "sources.txt")) {
        std::string list;
        for (const fs::path& input : sources.inputs)
            list += input.string() + "\n";
        common::AtomicFile file(dataset / "sources.txt");
        file.write(list);
        file.commit();
    }
    fmt::print(
        stderr,
        "sample workspace: {}\nsources: {} fortunes, {} HTML pages of Python's documentation\n",
        workspace.string(), sources.fortunes, sources.htmlFiles);
    return sources;
}

int runDemoData(const fs::path& workspace, const std::string& threads) {
    auto start = std::chrono::steady_clock::now();
    fs::path dataset = workspace / "datasets" / "sample";
    fs::path tokenizerPath = workspace / "tokenizers" / "sample" / "tokenizer.json";
    fs::create_directories(tokenizerPath.parent_path());
    cleaning::SampleSources sources = initSample(workspace);
    fs::path cleanConfig = workspace / "configs" / "clean.toml";

    Args clean;
    for (const fs::path& input : sources.inputs)
        clean.push_back(input.string());
    fs::path cleaned = dataset / "clean.jsonl.zst";
    clean.insert(clean.end(), {"-o", cleaned.string(), "--config", cleanConfig.string(), "--report",
                               (dataset / "funnel.json").string(), "--rejected",
                               (dataset / "rejected.jsonl.zst").string(), "-j", threads});
    runStep("clean", runClean, clean);
    runStep("tokenizer", runTokenizer,
            {"train", cleaned.string(), "-o", tokenizerPath.string(), "--vocab-size",
             kSampleVocabSize, "-j", threads});
    runStep("shard", runShard,
            {cleaned.string(), "--tokenizer", tokenizerPath.string(), "-o",
             (dataset / "shards").string(), "-j", threads});
    runStep("tokenizer", runTokenizer,
            {"inspect", "--tokenizer", tokenizerPath.string(), kInspectText});
    runStep("datasets", runDatasets,
            {"record", (dataset / "shards").string(), "--workspace", workspace.string()});

    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print(stderr,
               "\nsample data pipeline done in {:.1f} s: funnel {}, tokenizer {}, shards {}\n",
               seconds, (dataset / "funnel.json").string(), tokenizerPath.string(),
               (dataset / "shards").string());
    return 0;
}

// Starts the run config `config` through a local worker into the run history, as `strata-cli runs
// start` does, and follows it to its end. Returns its run folder, or nothing when it was detached
// (Ctrl-C) or stopped; a failed run is an error.
std::optional<fs::path> runSample(const fs::path& workspace, const fs::path& config,
                                  const std::string& name, const std::string& threads,
                                  std::vector<std::string> overrides) {
    // The config's own data paths, as `strata-cli runs start` reads them.
    proto::RunSpec spec = proto::runSpecFromFile(config, true);
    spec.name = name;
    if (threads != "0") overrides.insert(overrides.begin(), "train.threads=" + threads);
    spec.overrides.insert(spec.overrides.end(), overrides.begin(), overrides.end());
    std::string shown;
    for (const std::string& assignment : overrides)
        shown += " --set " + assignment;
    fmt::print(stderr, "\n$ strata-cli runs start {} --workspace {}{}\n", config.string(),
               workspace.string(), shown);
    store::RunHistory history(historyPath(workspace));
    proto::WorkerTarget worker = localWorkerTarget(workspace);
    int64_t runId = proto::startRun(history, worker, spec, {"sample"});
    if (followWithProgress(history, worker, runId) != 0)
        fail("the sample pipeline stopped: run {} failed", history.run(runId).name);
    store::RunRecord run = history.run(runId);
    if (run.state != store::RunState::Completed) return std::nullopt;
    return fs::path(run.runDir);
}

fs::path lastCheckpoint(const fs::path& runDir) {
    std::optional<fs::path> checkpoint = train::latestCheckpoint(runDir);
    if (!checkpoint) fail("{}: the run saved no checkpoint", runDir.string());
    return *checkpoint;
}

int runDemoPretrain(const fs::path& workspace, const std::string& threads,
                    const std::vector<std::string>& overrides) {
    if (!fs::exists(workspace / "datasets" / "sample" / "shards" / "manifest.json")) {
        fmt::print(stderr, "no sample shards in {} yet: the data pipeline comes first\n",
                   workspace.string());
        runDemoData(workspace, threads);
    }
    auto start = std::chrono::steady_clock::now();
    fs::path config =
        writeSampleConfig(workspace, "pretrain.toml", resources::samplePretrainConfig());
    std::optional<fs::path> runDir =
        runSample(workspace, config, "sample-pretrain", threads, overrides);
    if (!runDir) return 0;  // detached: the run goes on

    std::vector<run::EvalMetrics> evaluations = run::readEvaluations(*runDir / "events.jsonl");
    if (evaluations.size() < 2)
        fail("{}: the run recorded fewer than two validation passes", runDir->string());
    runStep("generate", runGenerate,
            {"--checkpoint", lastCheckpoint(*runDir).string(), "--prompt", kGeneratePrompt,
             "--max-new-tokens", "48", "--seed", "1"});

    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print(stderr, "\nsample pretraining done in {:.0f} s: run {}\n", seconds,
               runDir->string());
    fmt::print(stderr, "validation perplexity: {:.1f} -> {:.1f}\n", evaluations.front().perplexity,
               evaluations.back().perplexity);
    return 0;
}

// The folder of the newest completed sample pretraining run, if there is one.
std::optional<fs::path> samplePretrainRun(const fs::path& workspace) {
    store::RunHistory history(historyPath(workspace));
    store::RunFilter filter;
    filter.stage = "pretrain";
    filter.state = store::RunState::Completed;
    filter.tag = "sample";
    for (const store::RunRecord& run : history.listRuns(filter))
        if (train::latestCheckpoint(run.runDir)) return fs::path(run.runDir);
    return std::nullopt;
}

// Held-out exact match of `checkpoint`, as `strata-cli eval` prints it, then the demo's line.
double reportExactMatch(const char* stage, const fs::path& checkpoint, const fs::path& tests,
                        const std::vector<data::TaskExample>& testTasks) {
    fmt::print(stderr, "\n$ strata-cli eval --checkpoint {} --tasks {} --max-new-tokens {}\n",
               checkpoint.string(), tests.string(), kAnswerTokens);
    align::TaskEvaluation evaluation =
        align::evaluateTasks(checkpoint, testTasks, tests, kAnswerTokens, 32);
    for (const auto& [task, count] : evaluation.byTask)
        fmt::print(stderr, "  {:<10} {}\n", task, align::matchCountText(count));
    fmt::print("exact match after {}: {:.1f}%\n", stage, 100.0 * evaluation.overall.share());
    std::fflush(stdout);
    return evaluation.overall.share();
}

int runDemoAlign(const fs::path& workspace, const std::string& threads,
                 const std::vector<std::string>& overrides) {
    std::optional<fs::path> pretrainRun = samplePretrainRun(workspace);
    if (!pretrainRun) {
        fmt::print(stderr, "no sample pretraining run in {} yet: it comes first\n",
                   workspace.string());
        runDemoPretrain(workspace, threads, {});
        pretrainRun = samplePretrainRun(workspace);
        if (!pretrainRun) return 0;  // detached or stopped: nothing to align yet
    }
    auto start = std::chrono::steady_clock::now();
    fs::path taskFolder = workspace / "datasets" / "sample-tasks";
    data::SampleTaskFiles files = data::writeSampleTaskFiles(taskFolder, kSftDemonstrations,
                                                             kRlPrompts, kTestTasks, kTaskSeed);
    fmt::print(stderr,
               "\nsample tasks in {}: {} solved examples for SFT, {} prompts for GRPO, {} held-out "
               "tests\n",
               taskFolder.string(), kSftDemonstrations, kRlPrompts, kTestTasks);
    std::vector<data::TaskExample> tests = data::readTaskSet(files.test);

    fs::path pretrained = lastCheckpoint(*pretrainRun);
    double before = reportExactMatch("pretrain", pretrained, files.test, tests);

    fs::path sftConfig = writeSampleConfig(workspace, "sft.toml", resources::sampleSftConfig());
    std::vector<std::string> sftOverrides{"init.model=" + common::tomlString(pretrained.string())};
    sftOverrides.insert(sftOverrides.end(), overrides.begin(), overrides.end());
    std::optional<fs::path> sftRun =
        runSample(workspace, sftConfig, "sample-sft", threads, sftOverrides);
    if (!sftRun) return 0;
    fs::path sft = lastCheckpoint(*sftRun);
    double afterSft = reportExactMatch("sft", sft, files.test, tests);

    fs::path grpoConfig = writeSampleConfig(workspace, "grpo.toml", resources::sampleGrpoConfig());
    std::vector<std::string> grpoOverrides{"init.model=" + common::tomlString(sft.string())};
    grpoOverrides.insert(grpoOverrides.end(), overrides.begin(), overrides.end());
    std::optional<fs::path> grpoRun =
        runSample(workspace, grpoConfig, "sample-grpo", threads, grpoOverrides);
    if (!grpoRun) return 0;
    double afterGrpo = reportExactMatch("grpo", lastCheckpoint(*grpoRun), files.test, tests);

    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print(stderr,
               "\nsample alignment done in {:.0f} s: held-out exact match {:.1f}% -> {:.1f}% "
               "(SFT) -> {:.1f}% (GRPO); runs {} and {}\n",
               seconds, 100.0 * before, 100.0 * afterSft, 100.0 * afterGrpo, sftRun->string(),
               grpoRun->string());
    return 0;
}

}  // namespace

int runDemo(const Args& args) {
    ArgParser parser(
        "strata-cli demo", "init|data|pretrain [--workspace DIR] [-j N] [--set KEY=VALUE]...",
        "Runs a built-in sample pipeline end to end, printing each command before it runs.\n"
        "`init`: only prepares the sample workspace (the sample configs, the raw corpus and its\n"
        "list of sources), as the studio opens it.\n"
        "`data`: the fortune collections and Python's HTML documentation through clean,\n"
        "tokenizer train and shard. `pretrain`: trains a tiny Mixture-of-Experts model on the\n"
        "sample shards for a few minutes (running `data` first when its shards are missing),\n"
        "generates a sample and reports how validation perplexity fell. `align`: from the\n"
        "sample pretraining run (running `pretrain` first when there is none), writes the\n"
        "sample tasks, fine-tunes on solved examples (SFT), then reinforces correct answers\n"
        "(GRPO), printing `exact match after STAGE: NN.N%` on held-out tasks before and after\n"
        "each stage.");
    parser.positional("PIPELINE", 1, 1, "init, data, pretrain or align")
        .option("workspace", 'w', "DIR",
                "where to write (default ~/.local/share/strata/sample-workspace)")
        .option("threads", 'j', "N", "threads (default: every core)")
        .option("set", 0, "KEY=VALUE",
                "pretrain, align: override a key of the sample run configs (repeatable)");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    const std::string& pipeline = parsed->positionals()[0];
    if (pipeline != "init" && pipeline != "data" && pipeline != "pretrain" && pipeline != "align")
        fail("unknown pipeline '{}' (available: init, data, pretrain, align)", pipeline);
    if (parsed->intValue("threads", 0) < 0) fail("-j must not be negative");
    fs::path workspace = workspaceOf(*parsed);
    std::string threads = std::to_string(parsed->intValue("threads", 0));
    if (pipeline == "init") {
        initSample(workspace);
        return 0;
    }
    if (pipeline == "pretrain") return runDemoPretrain(workspace, threads, parsed->values("set"));
    if (pipeline == "align") return runDemoAlign(workspace, threads, parsed->values("set"));
    return runDemoData(workspace, threads);
}

}  // namespace strata::app
