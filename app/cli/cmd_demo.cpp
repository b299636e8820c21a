// `strata-cli demo init|data|pretrain|align|finetune`: the sample pipelines end to end, made of the
// same commands a user would type (each is printed before it runs). init: the sample workspace as
// the studio opens it, with the real model (SmolLM2-135M-Instruct) imported into models/ once.
// data: clean → tokenizer train → shard → datasets record → inspect. pretrain: train a tiny MoE
// model on the sample shards through a local worker, into the run history, as the studio runs it
// → generate from it. align: the sample tasks → SFT → GRPO from the pretrained model, with
// held-out exact match after each stage. finetune: the same stages from the imported real model,
// SFT with LoRA.
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "app/cli/run_access.h"
#include "app/cli/workspace.h"
#include "core/align/task_eval.h"
#include "core/cleaning/sample_sources.h"
#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/toml_text.h"
#include "core/common/workspace_paths.h"
#include "core/data/sample_tasks.h"
#include "core/proto/run_client.h"
#include "core/run/event_log.h"
#include "core/train/checkpoint.h"
#include "resources/sample/sample_configs.h"

#include <ATen/Parallel.h>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
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
// `demo finetune` measures the real model on the first held-out tests only: answering is what its
// few minutes on a CPU are spent on.
constexpr size_t kFinetuneTestTasks = 200;
// Overrides the build's default source of the sample's real model (as --model does).
constexpr const char* kSampleModelVariable = "STRATA_SAMPLE_MODEL";

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

// Where the sample's real model comes from: --model, else $STRATA_SAMPLE_MODEL, else where this
// build found it (resources::sampleModelSource(), from scripts/bootstrap's reference folder).
fs::path sampleModelSource(const ParsedArgs& parsed) {
    if (parsed.has("model")) return parsed.value("model");
    const char* variable = std::getenv(kSampleModelVariable);
    if (variable && *variable) return variable;
    return fs::path(resources::sampleModelSource());
}

fs::path sampleModelFolder(const fs::path& workspace) {
    return common::modelsFolder(workspace) / resources::kSampleModelName;
}

// What to do when the sample's real model is neither in the workspace nor at `source`: one line.
std::string missingModelText(const fs::path& source) {
    std::string where =
        source.empty() ? "this build was configured without scripts/bootstrap's reference folder"
                       : source.string() + " does not exist";
    return fmt::format(
        "the real model {} is missing ({}): run `make` (scripts/bootstrap fetches it), or name its "
        "Hugging Face folder or .gguf file with --model or {}",
        resources::kSampleModelTitle, where, kSampleModelVariable);
}

// models/smollm2-135m-instruct in the workspace, imported from `source` (`strata-cli import`) the
// first time; later runs keep it. Nothing when it is neither there nor at `source`.
std::optional<fs::path> initSampleModel(const fs::path& workspace, const fs::path& source) {
    fs::path folder = sampleModelFolder(workspace);
    if (fs::exists(folder / "model.toml")) {
        fmt::print(stderr, "sample model: {} in {}\n", resources::kSampleModelTitle,
                   folder.string());
        return folder;
    }
    if (source.empty() || !fs::exists(source)) {
        fmt::print(stderr, "sample model: {}\n", missingModelText(source));
        return std::nullopt;
    }
    fs::create_directories(folder.parent_path());
    runStep("import", runImport, {source.string(), "-o", folder.string()});
    return folder;
}

// The sample tasks (core/data/sample_tasks.h) in datasets/sample-tasks: what `demo align` and
// `demo finetune` train and measure on, the same files for both.
data::SampleTaskFiles writeSampleTasks(const fs::path& workspace) {
    fs::path taskFolder = workspace / "datasets" / "sample-tasks";
    data::SampleTaskFiles files = data::writeSampleTaskFiles(taskFolder, kSftDemonstrations,
                                                             kRlPrompts, kTestTasks, kTaskSeed);
    fmt::print(stderr,
               "\nsample tasks in {}: {} solved examples for SFT, {} prompts for GRPO, {} held-out "
               "tests\n",
               taskFolder.string(), kSftDemonstrations, kRlPrompts, kTestTasks);
    return files;
}

// The sample workspace before anything runs: the sample configs in configs/, the raw corpus in
// datasets/sample/raw and the list of its sources in datasets/sample/sources.txt (what the
// studio's Data page opens). Files already there are kept, with the user's edits.
cleaning::SampleSources initSample(const fs::path& workspace) {
    fs::path dataset = workspace / "datasets" / "sample";
    fs::create_directories(dataset);
    writeSampleConfig(workspace, "clean.toml", resources::sampleCleanConfig());
    writeSampleConfig(workspace, "pretrain.toml", resources::samplePretrainConfig());
    writeSampleConfig(workspace, "finetune_sft.toml", resources::sampleFinetuneSftConfig());
    writeSampleConfig(workspace, "finetune_grpo.toml", resources::sampleFinetuneGrpoConfig());
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

// Held-out exact match of `checkpoint`, as `strata-cli eval` prints it, then the demo's line;
// `testTasks` are the first tasks of the file `tests`, or all of them.
double reportExactMatch(const char* stage, const fs::path& checkpoint, const fs::path& tests,
                        const std::vector<data::TaskExample>& testTasks) {
    fmt::print(stderr, "\n$ strata-cli eval --checkpoint {} --tasks {} --max-new-tokens {}{}\n",
               checkpoint.string(), tests.string(), kAnswerTokens,
               testTasks.size() < kTestTasks ? fmt::format(" --limit {}", testTasks.size()) : "");
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
    data::SampleTaskFiles files = writeSampleTasks(workspace);
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

// The fine-tuning sample: the imported real model measured on the first held-out sample tasks
// through its own chat template, fine-tuned with LoRA on the solved examples (SFT), then
// reinforced with GRPO, measured after each stage.
int runDemoFinetune(const fs::path& workspace, const fs::path& modelSource,
                    const std::string& threads, const std::vector<std::string>& overrides) {
    initSample(workspace);
    std::optional<fs::path> model = initSampleModel(workspace, modelSource);
    if (!model) fail("{}", missingModelText(modelSource));
    auto start = std::chrono::steady_clock::now();
    data::SampleTaskFiles files = writeSampleTasks(workspace);
    std::vector<data::TaskExample> tests = data::readTaskSet(files.test);
    if (tests.size() > kFinetuneTestTasks) tests.resize(kFinetuneTestTasks);
    if (threads != "0") at::set_num_threads(std::stoi(threads));

    double before = reportExactMatch("import", *model, files.test, tests);

    // finetune_sft.toml names the imported model itself (init.model).
    fs::path sftConfig =
        writeSampleConfig(workspace, "finetune_sft.toml", resources::sampleFinetuneSftConfig());
    std::optional<fs::path> sftRun =
        runSample(workspace, sftConfig, "sample-finetune-sft", threads, overrides);
    if (!sftRun) return 0;
    fs::path sft = lastCheckpoint(*sftRun);
    double afterSft = reportExactMatch("sft", sft, files.test, tests);

    fs::path grpoConfig =
        writeSampleConfig(workspace, "finetune_grpo.toml", resources::sampleFinetuneGrpoConfig());
    std::vector<std::string> grpoOverrides{"init.model=" + common::tomlString(sft.string())};
    grpoOverrides.insert(grpoOverrides.end(), overrides.begin(), overrides.end());
    std::optional<fs::path> grpoRun =
        runSample(workspace, grpoConfig, "sample-finetune-grpo", threads, grpoOverrides);
    if (!grpoRun) return 0;
    double afterGrpo = reportExactMatch("grpo", lastCheckpoint(*grpoRun), files.test, tests);

    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print(stderr,
               "\nsample fine-tuning of {} done in {:.0f} s: held-out exact match {:.1f}% -> "
               "{:.1f}% (LoRA SFT) -> {:.1f}% (GRPO); runs {} and {}\n",
               resources::kSampleModelTitle, seconds, 100.0 * before, 100.0 * afterSft,
               100.0 * afterGrpo, sftRun->string(), grpoRun->string());
    return 0;
}

}  // namespace

int runDemo(const Args& args) {
    ArgParser parser(
        "strata-cli demo",
        "init|data|pretrain|align|finetune [--workspace DIR] [-j N] [--set KEY=VALUE]...",
        "Runs a built-in sample pipeline end to end, printing each command before it runs.\n"
        "`init`: only prepares the sample workspace (the sample configs, the raw corpus and its\n"
        "list of sources), as the studio opens it, and imports the real model\n"
        "SmolLM2-135M-Instruct into models/smollm2-135m-instruct once (from --model, else\n"
        "$STRATA_SAMPLE_MODEL, else the copy scripts/bootstrap fetched for this build).\n"
        "`data`: the fortune collections and Python's HTML documentation through clean,\n"
        "tokenizer train and shard. `pretrain`: trains a tiny Mixture-of-Experts model on the\n"
        "sample shards for a few minutes (running `data` first when its shards are missing),\n"
        "generates a sample and reports how validation perplexity fell. `align`: from the\n"
        "sample pretraining run (running `pretrain` first when there is none), writes the\n"
        "sample tasks, fine-tunes on solved examples (SFT), then reinforces correct answers\n"
        "(GRPO), printing `exact match after STAGE: NN.N%` on held-out tasks before and after\n"
        "each stage. `finetune`: the same from the imported real model instead, SFT with LoRA,\n"
        "in a few minutes on a CPU.");
    parser.positional("PIPELINE", 1, 1, "init, data, pretrain, align or finetune")
        .option("workspace", 'w', "DIR",
                "where to write (default ~/.local/share/strata/sample-workspace)")
        .option("threads", 'j', "N", "threads (default: every core)")
        .option("model", 0, "HF_DIR|MODEL.gguf",
                "init, finetune: the real model to import when the workspace lacks it")
        .option("set", 0, "KEY=VALUE",
                "pretrain, align, finetune: override a key of the sample run configs "
                "(repeatable)");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    const std::string& pipeline = parsed->positionals()[0];
    const std::vector<std::string> pipelines{"init", "data", "pretrain", "align", "finetune"};
    if (std::find(pipelines.begin(), pipelines.end(), pipeline) == pipelines.end())
        fail("unknown pipeline '{}' (available: init, data, pretrain, align, finetune)", pipeline);
    if (parsed->intValue("threads", 0) < 0) fail("-j must not be negative");
    fs::path workspace = workspaceOf(*parsed);
    std::string threads = std::to_string(parsed->intValue("threads", 0));
    if (pipeline == "init") {
        initSample(workspace);
        initSampleModel(workspace, sampleModelSource(*parsed));
        return 0;
    }
    if (pipeline == "finetune")
        return runDemoFinetune(workspace, sampleModelSource(*parsed), threads,
                               parsed->values("set"));
    if (pipeline == "pretrain") return runDemoPretrain(workspace, threads, parsed->values("set"));
    if (pipeline == "align") return runDemoAlign(workspace, threads, parsed->values("set"));
    return runDemoData(workspace, threads);
}

}  // namespace strata::app
