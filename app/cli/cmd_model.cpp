// `strata-cli model info CONFIG`: what a model configuration costs before anything is trained —
// parameters (total and active per token), training FLOPs per token and a memory estimate.
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "core/common/config_reader.h"
#include "core/common/error.h"
#include "core/common/human_units.h"
#include "core/model_spec/model_size.h"

#include <fmt/format.h>

namespace strata::app {

namespace {

using common::fail;
using common::humanBytes;
using common::humanCount;

std::string describe(const model_spec::ModelConfig& c) {
    const model_spec::AttentionConfig& a = c.attention;
    std::string attention = a.kind == model_spec::AttentionKind::Mla
                                ? fmt::format("MLA with {} heads (kv rank {}, q rank {})",
                                              a.numHeads, a.kvLoraRank, a.qLoraRank)
                                : fmt::format("GQA with {} heads, {} key/value heads of {}",
                                              a.numHeads, a.numKvHeads, c.resolvedHeadDim());
    int moeLayers = c.numMoeLayers();
    std::string blocks = fmt::format("{} dense", c.numLayers - moeLayers);
    if (moeLayers > 0)
        blocks += fmt::format(
            " + {} MoE ({} routed experts, top-{}, {} shared, {} scoring)", moeLayers,
            c.moe.numRoutedExperts, c.moe.topK, c.moe.numSharedExperts,
            c.moe.scoring == model_spec::RouterScoring::Sigmoid ? "sigmoid" : "softmax");
    return fmt::format("{} layers: {}; d_model {}, {}; vocabulary {}, context {}", c.numLayers,
                       blocks, c.dModel, attention, c.vocabSize, c.contextLength);
}

int info(const Args& args) {
    ArgParser parser(
        "strata-cli model info", "CONFIG.toml [--batch N] [--seq-len T] [--bf16]",
        "Prints a model's parameter counts (total and active per token), its training\n"
        "FLOPs per token and an estimate of the memory training takes for one batch.");
    parser.positional("CONFIG", 1, 1, "a TOML config with a [model] table")
        .option("set", 0, "KEY=VALUE", "override one key, e.g. model.num_layers=12")
        .option("batch", 'b', "N", "sequences per batch for the memory estimate (default 8)")
        .option("seq-len", 't', "T", "tokens per sequence (default: model.context_length)")
        .flag("bf16", 0,
              "estimate activations in bf16 with fused attention (CUDA) instead of fp32 (CPU)");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    common::ConfigReader config = common::ConfigReader::fromFile(parsed->positionals()[0]);
    for (const std::string& assignment : parsed->values("set"))
        config.applyOverride(assignment);
    model_spec::ModelConfig model = model_spec::readModelConfig(config);
    config.finishTable("model");
    int64_t batch = parsed->intValue("batch", 8);
    int64_t seqLen = parsed->intValue("seq-len", model.contextLength);
    if (batch < 1 || batch > (1 << 20)) fail("--batch must be between 1 and 1048576");
    if (seqLen < 1 || seqLen > model.contextLength)
        fail("--seq-len must be between 1 and model.context_length ({})", model.contextLength);
    bool bf16 = parsed->flag("bf16");

    model_spec::ParameterCounts p = model_spec::countParameters(model);
    model_spec::MemoryEstimate memory = model_spec::estimateTrainingMemory(
        model, int(batch), int(seqLen), bf16 ? 2 : 4, /*storesAttentionScores=*/!bf16);
    std::string out = describe(model) + "\n";
    out += fmt::format("parameters: {} total, {} active per token\n", humanCount(double(p.total())),
                       humanCount(double(p.activePerToken)));
    out += fmt::format(
        "  embedding {}, output head {}, attention {}, dense FFN {}, routed experts {}, shared "
        "experts {}, "
        "routers {}, norms {}\n",
        humanCount(double(p.embedding)), p.outputHead ? humanCount(double(p.outputHead)) : "tied",
        humanCount(double(p.attention)), humanCount(double(p.denseFfn)),
        humanCount(double(p.routedExperts)), humanCount(double(p.sharedExperts)),
        humanCount(double(p.routers)), humanCount(double(p.norms)));
    out += fmt::format("training FLOPs per token at {} tokens: {}\n", seqLen,
                       humanCount(model_spec::trainingFlopsPerToken(model, int(seqLen)), "FLOP"));
    out += fmt::format(
        "training memory, batch {} x {} ({}): weights {}, gradients {}, AdamW {}, activations {}; "
        "total {}\n",
        batch, seqLen, bf16 ? "bf16 activations, fused attention" : "fp32, CPU",
        humanBytes(memory.parameters), humanBytes(memory.gradients), humanBytes(memory.optimizer),
        humanBytes(memory.activations), humanBytes(memory.total()));
    fmt::print("{}", out);
    return 0;
}

}  // namespace

int runModel(const Args& args) {
    if (!args.empty() && args[0] == "--print-default-config") {
        fmt::print("{}", model_spec::defaultModelConfigText());
        return 0;
    }
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        fmt::print(args.empty() ? stderr : stdout,
                   "usage: strata-cli model info CONFIG.toml [--batch N] [--seq-len T] [--bf16]\n"
                   "       strata-cli model --print-default-config\n");
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "info") return info(Args(args.begin() + 1, args.end()));
    fail("unknown subcommand '{}' (info, or --print-default-config)", args[0]);
}

}  // namespace strata::app
