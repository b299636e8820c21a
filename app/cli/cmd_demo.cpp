// `strata-cli demo data`: the sample data pipeline end to end, made of the same commands a user
// would type (each is printed before it runs): clean → tokenizer train → shard → inspect.
#include "app/cli/commands.h"
#include "core/cli/arg_parser.h"
#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/data/sample_sources.h"
#include "resources/sample/sample_configs.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

namespace strata::app {

namespace fs = std::filesystem;
using common::fail;

namespace {

constexpr const char* kSampleVocabSize = "8192";
constexpr const char* kInspectText = "Strata trains language models: 训练语言模型 🎉";

fs::path defaultWorkspace() {
    const char* dataHome = std::getenv("XDG_DATA_HOME");
    const char* home = std::getenv("HOME");
    fs::path base =
        dataHome && *dataHome ? fs::path(dataHome) : fs::path(home ? home : ".") / ".local/share";
    return base / "strata" / "sample-workspace";
}

void runStep(const char* name, int (*command)(const Args&), const Args& args) {
    std::string shown = fmt::format("$ strata-cli {}", name);
    for (const std::string& arg : args)
        shown += arg.find(' ') == std::string::npos ? " " + arg : " '" + arg + "'";
    fmt::print(stderr, "\n{}\n", shown);
    if (command(args) != 0) fail("the sample pipeline stopped at `strata-cli {}`", name);
}

int runDemoData(const fs::path& workspace, const std::string& threads) {
    auto start = std::chrono::steady_clock::now();
    fs::path dataset = workspace / "datasets" / "sample";
    fs::path tokenizerPath = workspace / "tokenizers" / "sample" / "tokenizer.json";
    fs::path cleanConfig = workspace / "configs" / "clean.toml";
    fs::create_directories(dataset);
    fs::create_directories(tokenizerPath.parent_path());
    fs::create_directories(cleanConfig.parent_path());
    // The sample config is written once; later runs keep the user's edits.
    if (!fs::exists(cleanConfig)) {
        common::AtomicFile file(cleanConfig);
        file.write(resources::sampleCleanConfig());
        file.commit();
    }

    data::SampleSources sources = data::collectSampleSources(dataset / "raw");
    fmt::print(
        stderr,
        "sample workspace: {}\nsources: {} fortunes, {} HTML pages of Python's documentation\n",
        workspace.string(), sources.fortunes, sources.htmlFiles);

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

    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print(stderr,
               "\nsample data pipeline done in {:.1f} s: funnel {}, tokenizer {}, shards {}\n",
               seconds, (dataset / "funnel.json").string(), tokenizerPath.string(),
               (dataset / "shards").string());
    return 0;
}

}  // namespace

int runDemo(const Args& args) {
    cli::ArgParser parser(
        "strata-cli demo", "data [--workspace DIR]",
        "Runs a built-in sample pipeline end to end. `data`: the fortune collections and\n"
        "Python's HTML documentation through clean, tokenizer train and shard.");
    parser.positional("PIPELINE", 1, 1, "data (pretrain and align come with the trainers)")
        .option("workspace", 'w', "DIR",
                "where to write (default ~/.local/share/strata/sample-workspace)")
        .option("threads", 'j', "N", "threads (default: every core)");
    std::optional<cli::ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    const std::string& pipeline = parsed->positionals()[0];
    if (pipeline != "data") fail("unknown pipeline '{}' (available: data)", pipeline);
    if (parsed->intValue("threads", 0) < 0) fail("-j must not be negative");
    fs::path workspace =
        parsed->has("workspace") ? fs::path(parsed->value("workspace")) : defaultWorkspace();
    return runDemoData(workspace, std::to_string(parsed->intValue("threads", 0)));
}

}  // namespace strata::app
