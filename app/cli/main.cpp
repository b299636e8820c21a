// strata-cli: git-style subcommands over core/. Every failure the user can cause ends here as one
// line on stderr and a non-zero exit.
#include "app/cli/commands.h"
#include "core/common/error.h"

#include <cstdio>
#include <exception>
#include <string_view>

namespace {

struct Command {
    std::string_view name;
    std::string_view summary;
    int (*run)(const strata::app::Args&);
};

constexpr Command kCommands[] = {
    {"clean", "clean raw text into deduplicated JSONL, with a funnel report",
     strata::app::runClean},
    {"tokenizer", "train, apply and inspect a byte-level BPE tokenizer", strata::app::runTokenizer},
    {"shard", "tokenize a cleaned corpus into binary token shards", strata::app::runShard},
    {"model", "parameter counts, FLOPs and memory of a model config", strata::app::runModel},
    {"train", "train a model: pretraining or an alignment stage, resumably", strata::app::runTrain},
    {"launch", "train in several processes, on this host and others (torch.distributed)",
     strata::app::runLaunch},
    {"generate", "continue a prompt with a trained model", strata::app::runGenerate},
    {"logprobs", "the log-probability of each token of a text under a model",
     strata::app::runLogprobs},
    {"eval", "exact match of a model on a task set", strata::app::runEval},
    {"export", "write a model folder as a Hugging Face model folder", strata::app::runExport},
    {"import", "read a Hugging Face model folder into a model folder", strata::app::runImport},
    {"demo", "run a built-in sample pipeline end to end", strata::app::runDemo},
    {"devices", "list the compute devices and the LibTorch build", strata::app::runDevices},
    {"runs", "the run history: list, show, diff, export, back up; start and steer runs",
     strata::app::runRuns},
    {"datasets", "record shard sets and tokenizers in the run history, list them",
     strata::app::runDatasets},
    {"labels", "score the labeling queue's pairs with a reward model", strata::app::runLabels},
    {"attach", "follow a run into the run history until it ends", strata::app::runAttach},
    {"worker", "serve the worker protocol on stdin and stdout", strata::app::runWorker},
};

void printUsage(std::FILE* out) {
    std::fprintf(out, "usage: strata-cli COMMAND [ARGS...]\n\ncommands:\n");
    for (const Command& command : kCommands)
        std::fprintf(out, "  %-12.*s%.*s\n", int(command.name.size()), command.name.data(),
                     int(command.summary.size()), command.summary.data());
    std::fprintf(out, "\n`strata-cli COMMAND --help` describes each command.\n");
}

}  // namespace

std::optional<strata::app::ParsedArgs> strata::app::parseArgs(const app::ArgParser& parser,
                                                              const Args& args) {
    app::ParsedArgs parsed = parser.parse(args);
    if (!parsed.helpRequested) return parsed;
    std::fputs(parser.help().c_str(), stdout);
    return std::nullopt;
}

int main(int argc, char** argv) {
    if (argc < 2) {
        printUsage(stderr);
        return 2;
    }
    std::string_view name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        printUsage(stdout);
        return 0;
    }
    if (name == "--version") {
        std::printf("strata-cli %s\n", STRATA_VERSION);
        return 0;
    }
    for (const Command& command : kCommands) {
        if (command.name != name) continue;
        try {
            return command.run(strata::app::Args(argv + 2, argv + argc));
        } catch (const strata::common::Error& error) {
            std::fprintf(stderr, "strata-cli %s: error: %s\n", argv[1], error.what());
        } catch (const std::exception& error) {
            std::fprintf(stderr, "strata-cli %s: internal error: %s\n", argv[1], error.what());
        }
        return 1;
    }
    std::fprintf(stderr, "strata-cli: unknown command '%s' (see strata-cli --help)\n", argv[1]);
    return 2;
}
