// `strata-cli model info MODEL`: what a model costs before anything is trained — parameters
// (total and active per token), training FLOPs per token and the memory of full training and of
// LoRA. MODEL is a config, a model folder or checkpoint, or a Hugging Face folder or GGUF file to
// import.
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "core/common/config_reader.h"
#include "core/common/error.h"
#include "core/common/human_units.h"
#include "core/gguf/gguf_model_config.h"
#include "core/model_spec/hf_config.h"
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
    std::string family = c.family == model_spec::ModelFamily::Strata
                             ? ""
                             : model_spec::hfFamilyName(c.family) + " model, ";
    return fmt::format("{}{} layers: {}; d_model {}, {}; vocabulary {}, context {}", family,
                       c.numLayers, blocks, c.dModel, attention, c.vocabSize, c.contextLength);
}

std::string describeMemory(const model_spec::MemoryEstimate& memory) {
    return fmt::format(
        "weights {}, gradients {}, AdamW {}, activations {} ({} with activation checkpointing); "
        "total {}",
        humanBytes(memory.parameters), humanBytes(memory.gradients), humanBytes(memory.optimizer),
        humanBytes(memory.activations), humanBytes(memory.checkpointedActivations),
        humanBytes(memory.total()));
}

// The model of a TOML config (with --set overrides), of a model folder or checkpoint (its
// model.toml), of a Hugging Face folder (its config.json) or of a GGUF file (its metadata), as
// import reads them.
model_spec::ModelConfig readModel(const std::filesystem::path& path,
                                  const std::vector<std::string>& overrides) {
    if (std::filesystem::is_directory(path)) {
        if (!overrides.empty()) fail("--set takes a TOML config, not a model folder");
        if (std::filesystem::exists(path / "model.toml")) return readModel(path / "model.toml", {});
        if (std::filesystem::exists(path / "config.json"))
            return model_spec::readHfConfig(path / "config.json").config;
        fail("{}: neither a model folder (model.toml) nor a Hugging Face folder (config.json)",
             path.string());
    }
    if (path.extension() == ".gguf") {
        if (!overrides.empty()) fail("--set takes a TOML config, not a GGUF file");
        return gguf::readGgufModelConfig(gguf::GgufFile(path)).hf.config;
    }
    common::ConfigReader config = common::ConfigReader::fromFile(path);
    for (const std::string& assignment : overrides)
        config.applyOverride(assignment);
    model_spec::ModelConfig model = model_spec::readModelConfig(config);
    config.finishTable("model");
    return model;
}

int info(const Args& args) {
    ArgParser parser(
        "strata-cli model info", "MODEL [--batch N] [--seq-len T] [--bf16] [--lora-rank R]",
        "Prints a model's parameter counts (total and active per token), its training\n"
        "FLOPs per token and an estimate of the memory training takes for one batch, in\n"
        "full and with LoRA adapters on the frozen model. MODEL is a TOML config with a\n"
        "[model] table, a model folder or checkpoint, a Hugging Face folder or a GGUF file.");
    parser
        .positional("MODEL", 1, 1,
                    "a TOML config, a model folder, a Hugging Face folder or a GGUF file")
        .option("set", 0, "KEY=VALUE", "override one key of a config, e.g. model.num_layers=12")
        .option("batch", 'b', "N", "sequences per batch for the memory estimate (default 8)")
        .option("seq-len", 't', "T",
                "tokens per sequence (default: model.context_length, at most 2048)")
        .option("lora-rank", 'r', "R", "rank of the LoRA adapters (default 8, as SFT's)")
        .flag("bf16", 0,
              "estimate activations in bf16 with fused attention (CUDA) instead of fp32 (CPU)");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    model_spec::ModelConfig model = readModel(parsed->positionals()[0], parsed->values("set"));
    int64_t batch = parsed->intValue("batch", 8);
    int64_t seqLen = parsed->intValue("seq-len", std::min(model.contextLength, 2048));
    int64_t loraRank = parsed->intValue("lora-rank", 8);
    if (batch < 1 || batch > (1 << 20)) fail("--batch must be between 1 and 1048576");
    if (seqLen < 1 || seqLen > model.contextLength)
        fail("--seq-len must be between 1 and model.context_length ({})", model.contextLength);
    if (loraRank < 1 || loraRank > model.dModel)
        fail("--lora-rank must be between 1 and model.d_model ({})", model.dModel);
    bool bf16 = parsed->flag("bf16");

    model_spec::ParameterCounts p = model_spec::countParameters(model);
    int activationBytes = bf16 ? 2 : 4;
    model_spec::MemoryEstimate full = model_spec::estimateTrainingMemory(
        model, int(batch), int(seqLen), activationBytes, /*storesAttentionScores=*/!bf16);
    model_spec::MemoryEstimate lora = model_spec::estimateLoraTrainingMemory(
        model, int(loraRank), int(batch), int(seqLen), activationBytes, !bf16);
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
    out +=
        fmt::format("training memory, batch {} x {} ({}): {}\n", batch, seqLen,
                    bf16 ? "bf16 activations, fused attention" : "fp32, CPU", describeMemory(full));
    out += fmt::format("  with LoRA rank {} ({} adapter parameters): {}\n", loraRank,
                       humanCount(double(model_spec::countLoraParameters(model, int(loraRank)))),
                       describeMemory(lora));
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
                   "usage: strata-cli model info MODEL [--batch N] [--seq-len T] [--bf16] "
                   "[--lora-rank R]\n"
                   "       strata-cli model --print-default-config\n");
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "info") return info(Args(args.begin() + 1, args.end()));
    fail("unknown subcommand '{}' (info, or --print-default-config)", args[0]);
}

}  // namespace strata::app
