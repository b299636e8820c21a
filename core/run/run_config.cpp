#include "core/run/run_config.h"

#include "core/common/config_table.h"
#include "core/common/error.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>

namespace strata::run {

namespace fs = std::filesystem;
using common::atLeast;
using common::between;
using common::fail;
using common::positive;

namespace {

bool isDeviceName(const std::string& device) {
    if (device == "auto" || device == "cpu" || device == "cuda") return true;
    if (device.rfind("cuda:", 0) != 0 || device.size() == 5) return false;
    return device.find_first_not_of("0123456789", 5) == std::string::npos;
}

model_spec::ModelConfig readModelFolderConfig(const fs::path& folder) {
    fs::path file = folder / "model.toml";
    if (!fs::is_regular_file(file))
        fail("init.model: {} is not a checkpoint or model folder (no model.toml)", folder.string());
    common::ConfigReader reader = common::ConfigReader::fromFile(file);
    model_spec::ModelConfig config = model_spec::readModelConfig(reader);
    reader.finish();
    return config;
}

const char* trainDataWhat(Stage stage) {
    switch (stage) {
        case Stage::Sft:
            return "the SFT conversations (JSONL: messages, prompt/completion or instruction)";
        case Stage::Reward:
        case Stage::Dpo:
            return "the preference pairs (JSONL of prompt, chosen, rejected)";
        default:
            return "the prompts with their answers (a task set, JSONL)";
    }
}

constexpr const char* kPrecisions[] = {"auto", "fp32", "bf16", "fp16", "fp8"};
constexpr const char* kScheduleKinds[] = {"cosine", "wsd"};
constexpr const char* kDataComment =
    "What to train on. Relative paths are relative to this file's folder.";

// [data] differs by stage: shards for pretraining, a file of examples for the others.
common::ConfigTable<DataConfig> dataTable(Stage stage) {
    common::ConfigTable<DataConfig> table("data", kDataComment);
    if (stage == Stage::Pretrain)
        return table
            .path("shards", &DataConfig::shards,
                  "A folder written by `strata-cli shard`: its train split is trained on, its val "
                  "split evaluated.")
            .path("tokenizer", &DataConfig::tokenizer,
                  "The tokenizer.json the shards were encoded with; its vocabulary must equal "
                  "model.vocab_size.");
    return table
        .path(
            "train", &DataConfig::train,
            fmt::format("What the stage learns from: {} (docs/formats.md).", trainDataWhat(stage)))
        .path("val", &DataConfig::val,
              "Held-out examples for the validation passes; empty: the last val_fraction of "
              "train, after a\nseeded shuffle.")
        .key("val_fraction", &DataConfig::valFraction, "",
             {[](double f) { return f >= 0 && f < 1; }, "in [0, 1)"})
        .path("tokenizer", &DataConfig::tokenizer,
              "The tokenizer; empty: init.model's tokenizer.json, which it must equal.");
}

const common::ConfigTable<TrainConfig>& trainTable() {
    static const auto table =
        common::ConfigTable<TrainConfig>("train")
            .key("seed", &TrainConfig::seed,
                 "Seeds the weights' initialization, the order of the training examples and the "
                 "sampling.")
            .key("device", &TrainConfig::device,
                 "\"auto\" (the first CUDA device, else the CPU), \"cpu\", \"cuda\" or \"cuda:N\".",
                 {isDeviceName, "\"auto\", \"cpu\", \"cuda\" or \"cuda:N\""})
            .choice("precision", &TrainConfig::precision, kPrecisions,
                    "\"auto\" (bf16 autocast on CUDA, fp32 on the CPU), \"fp32\", \"bf16\", or, "
                    "for pretraining, \"fp16\"\n"
                    "(with the loss scaling of [fp16]) or \"fp8\" (the projections and experts in "
                    "FP8, as [fp8] says).")
            .key("threads", &TrainConfig::threads,
                 "CPU threads for LibTorch's operators; 0 keeps its default (one per core).",
                 atLeast(0, " (0: LibTorch's default)"))
            .key("sequence_length", &TrainConfig::sequenceLength,
                 "Tokens per training sequence; 0 means model.context_length. Alignment: the "
                 "longest example\n"
                 "(longer ones are cut) or packed row.")
            .key("micro_batch_size", &TrainConfig::microBatchSize,
                 "Sequences per forward/backward pass, and passes whose gradients one optimizer "
                 "step adds up:\n"
                 "a step trains on sequence_length * micro_batch_size * grad_accum_steps tokens. "
                 "Alignment:\n"
                 "conversations or packed rows (SFT), preference pairs (reward, DPO), prompts "
                 "(PPO, GRPO).",
                 positive<int>())
            .key("grad_accum_steps", &TrainConfig::gradAccumSteps, "", positive<int>())
            .key("max_steps", &TrainConfig::maxSteps,
                 "Optimizer steps; the schedule below decays over them.", positive<int64_t>())
            .key("grad_clip", &TrainConfig::gradClip,
                 "The global gradient norm is clipped to this; 0 turns clipping off.",
                 atLeast(0.0, " (0: no clipping)"))
            .key("eval_every", &TrainConfig::evalEvery,
                 "Steps between validation passes (pretraining and SFT: loss and perplexity; "
                 "reward and DPO:\n"
                 "loss, accuracy and margin; PPO and GRPO: exact match and reward); 0 turns them "
                 "off.",
                 atLeast<int64_t>(0, " (0: no validation)"))
            .key("eval_batches", &TrainConfig::evalBatches,
                 "Micro-batches of the val split per validation pass.", positive<int>())
            .key("log_every", &TrainConfig::logEvery,
                 "Steps between console lines; events.jsonl records every step.",
                 positive<int64_t>())
            .key("max_skipped_steps", &TrainConfig::maxSkippedSteps,
                 "A step whose loss or gradient is not finite is skipped; this many in a row fail "
                 "the run.",
                 positive<int>())
            .key("peak_flops", &TrainConfig::peakFlops,
                 "The device's peak FLOP/s, for model FLOPs utilization; 0: known GPUs only (no "
                 "MFU on CPUs).",
                 atLeast(0.0, " (0: known GPUs only)"))
            .key("activation_checkpointing", &TrainConfig::activationCheckpointing,
                 "Keep only each transformer block's input in the forward pass and recompute the "
                 "block in the\n"
                 "backward: activation memory of one block instead of all, for about a third "
                 "more compute.\n"
                 "Pretraining and every alignment stage's policy; not with precision \"fp8\".");
    return table;
}

const common::ConfigTable<OptimizerConfig>& optimizerTable() {
    auto below1 = [](double beta) { return beta >= 0 && beta < 1; };
    static const auto table =
        common::ConfigTable<OptimizerConfig>(
            "optim",
            "AdamW. Weight decay applies to matrices only, never to norms or the embedding.")
            .key("lr", &OptimizerConfig::lr, "The peak learning rate.", positive<double>())
            .key("beta1", &OptimizerConfig::beta1, "", {below1, "in [0, 1)"})
            .key("beta2", &OptimizerConfig::beta2, "", {below1, "in [0, 1)"})
            .key("eps", &OptimizerConfig::eps, "", positive<double>())
            .key("weight_decay", &OptimizerConfig::weightDecay, "", atLeast(0.0));
    return table;
}

const common::ConfigTable<ScheduleConfig>& scheduleTable() {
    static const auto table =
        common::ConfigTable<ScheduleConfig>("schedule")
            .choice("kind", &ScheduleConfig::kind, kScheduleKinds,
                    "\"cosine\": linear warmup, then cosine decay to min_lr_ratio * lr at "
                    "train.max_steps.\n"
                    "\"wsd\": warmup, then the peak holds until the last decay_fraction of the "
                    "steps, which decay\n"
                    "linearly to min_lr_ratio * lr.")
            .key("warmup_steps", &ScheduleConfig::warmupSteps, "", atLeast<int64_t>(0))
            .key("min_lr_ratio", &ScheduleConfig::minLrRatio, "", between(0.0, 1.0))
            .key("decay_fraction", &ScheduleConfig::decayFraction, "", between(0.0, 1.0));
    return table;
}

const common::ConfigTable<CheckpointConfig>& checkpointTable() {
    static const auto table =
        common::ConfigTable<CheckpointConfig>(
            "checkpoint", "Checkpoints go to the run folder's checkpoints/step-NNNNNNN/.")
            .key("every", &CheckpointConfig::every,
                 "Steps between checkpoints; the last step, a stop and an interrupt always save "
                 "one.",
                 positive<int64_t>())
            .key("keep_last", &CheckpointConfig::keepLast,
                 "The newest checkpoints to keep; older ones are deleted, except the best when "
                 "keep_best is set.",
                 atLeast(1))
            .key("keep_best", &CheckpointConfig::keepBest,
                 "Keep the checkpoint with the lowest validation loss as well.");
    return table;
}

const common::ConfigTable<Fp8Config>& fp8Table() {
    static const auto table =
        common::ConfigTable<Fp8Config>(
            "fp8", "FP8 training (train.precision = \"fp8\"), core/train/fp8.md.")
            .choice("recipe", &Fp8Config::recipe, kFp8Recipes,
                    "How operands are scaled: \"tensorwise\", \"delayed\" (a scale per tensor "
                    "from its amax history, as\n"
                    "Transformer Engine), \"rowwise\", or \"blockwise\" (DeepSeek-V3: 1x128 tiles "
                    "of activations and\n"
                    "gradients, 128x128 blocks of weights).")
            .choice("grad_format", &Fp8Config::gradFormat, kFp8GradFormats,
                    "The output gradients' format: \"e5m2\" (more range), \"e4m3\" (more "
                    "precision) or \"auto\":\n"
                    "e5m2 for tensorwise and delayed scaling, e4m3 for rowwise and blockwise. "
                    "Inputs and weights\n"
                    "are always e4m3.")
            .key("amax_history", &Fp8Config::amaxHistory,
                 "Delayed scaling: the steps of amax history, which of them sets the scale "
                 "(\"max\" or\n"
                 "\"most_recent\"), and the headroom: the scale is divided by 2^margin.",
                 between(1, 1024))
            .choice("amax_compute", &Fp8Config::amaxCompute, kAmaxComputes)
            .key("margin", &Fp8Config::margin, "", between(0, 16))
            .key("allow_emulation", &Fp8Config::allowEmulation,
                 "Train with the exact FP8 emulation where the device has no FP8 matrix units "
                 "(the CPU, CUDA\n"
                 "before compute capability 8.9): the numbers of FP8 hardware, more slowly than "
                 "bf16.");
    return table;
}

const common::ConfigTable<LossScaleConfig>& fp16Table() {
    static const auto table =
        common::ConfigTable<LossScaleConfig>(
            "fp16",
            "FP16's dynamic loss scaling (train.precision = \"fp16\"): a step whose gradients "
            "overflow is\n"
            "skipped and the scale multiplied by backoff_factor; growth_interval good steps in a "
            "row\n"
            "multiply it by growth_factor.")
            .key("initial_scale", &LossScaleConfig::initialScale, "",
                 {[](double scale) { return scale > 0 && std::isfinite(scale); }, "positive"})
            .key("growth_factor", &LossScaleConfig::growthFactor, "",
                 {[](double factor) { return factor > 1; }, "greater than 1"})
            .key("backoff_factor", &LossScaleConfig::backoffFactor, "",
                 {[](double factor) { return factor > 0 && factor < 1; },
                  "between 0 and 1 (exclusive)"})
            .key("growth_interval", &LossScaleConfig::growthInterval, "", positive<int>());
    return table;
}

const common::ConfigTable<DistConfig>& distTable() {
    static const auto table =
        common::ConfigTable<DistConfig>(
            "dist",
            "Several processes (WORLD_SIZE > 1, e.g. `strata-cli launch --nproc N`): each trains "
            "on\n"
            "micro_batch_size / N of every micro-batch, and the gradients are averaged across "
            "them.")
            .key("zero1", &DistConfig::zero1,
                 "ZeRO-1: each process keeps AdamW's moments for its share of the parameters "
                 "only.")
            .key("expert_parallel", &DistConfig::expertParallel,
                 "Expert parallelism: the routed experts of each MoE layer are spread over the "
                 "processes, and\n"
                 "tokens travel to their experts' process and back (all-to-all); "
                 "num_routed_experts must divide.")
            .key("bucket_mb", &DistConfig::bucketMb,
                 "Gradients are all-reduced in buckets of about this many MiB, overlapping the "
                 "backward pass.",
                 between(1, 1024))
            .key("timeout_s", &DistConfig::timeoutSeconds,
                 "Seconds the rendezvous and every exchange wait for the other processes before "
                 "the run fails.",
                 between(1, 86400));
    return table;
}

std::string configText(const RunConfig& c, bool includeModel) {
    std::string text = includeModel ? model_spec::modelConfigText(c.model) : std::string();
    text += alignConfigText(c.stage, c.align);
    text += "\n" + dataTable(c.stage).text(c.data);
    const std::string stage =
        fmt::format("# The stage: {}.\nstage = \"{}\"\n", stageNameList(), stageName(c.stage));
    text += "\n" + trainTable().text(c.train, stage);
    text += "\n" + optimizerTable().text(c.optim);
    text += "\n" + scheduleTable().text(c.schedule);
    text += "\n" + checkpointTable().text(c.checkpoint);
    if (c.stage == Stage::Pretrain)
        text += "\n" + fp8Table().text(c.fp8) + "\n" + fp16Table().text(c.fp16) + "\n" +
                distTable().text(c.dist);
    return text;
}

}  // namespace

const char* precisionName(Precision precision) {
    return kPrecisions[size_t(precision)];
}

RunConfig readRunConfig(common::ConfigReader& reader, const common::PathResolver& resolvePath) {
    RunConfig c;
    std::string stage = stageName(c.stage);
    reader.read("train.stage", stage);
    std::optional<Stage> parsedStage = parseStage(stage);
    if (!parsedStage)
        fail("{} must be {}, not \"{}\"", reader.where("train.stage"), stageNameList(), stage);
    c.stage = *parsedStage;
    const bool pretraining = c.stage == Stage::Pretrain;
    c.optim.lr = defaultLearningRate(c.stage);

    common::ConfigValidator v(reader);
    readAlignConfig(reader, v, c.stage, resolvePath, c.align);
    // Every path is resolved (and so checked) before a file is read.
    dataTable(c.stage).read(reader, v, c.data, resolvePath);
    if (pretraining) {
        v.require(!c.data.shards.empty(), "data.shards",
                  "the folder written by `strata-cli shard`");
        v.require(!c.data.tokenizer.empty(), "data.tokenizer",
                  "the tokenizer.json the shards were built with");
    } else {
        v.require(!c.data.train.empty(), "data.train", trainDataWhat(c.stage));
        if (c.data.tokenizer.empty() && !c.align.init.model.empty())
            c.data.tokenizer = c.align.init.model / "tokenizer.json";
    }

    if (!pretraining && !c.align.init.model.empty()) {
        model_spec::ModelConfig initial = readModelFolderConfig(c.align.init.model);
        c.model = model_spec::readModelConfig(reader, v, initial);
        if (!(c.model == initial))
            fail(
                "{}: the [model] table differs from init.model's {}; an alignment stage keeps "
                "the architecture it starts from",
                reader.sourceName(), (c.align.init.model / "model.toml").string());
    } else {
        c.model = model_spec::readModelConfig(reader, v);
    }

    TrainConfig& t = c.train;
    trainTable().read(reader, v, t);
    v.require(pretraining || (t.precision != Precision::Fp16 && t.precision != Precision::Fp8),
              "train.precision",
              "\"auto\", \"fp32\" or \"bf16\" in an alignment stage (fp16 and fp8 train "
              "pretraining runs)");
    v.require(!t.activationCheckpointing || t.precision != Precision::Fp8,
              "train.activation_checkpointing",
              "false with train.precision \"fp8\" (the recomputation would count FP8's "
              "scaling statistics twice)");
    v.require(t.sequenceLength >= 0 && t.sequenceLength <= c.model.contextLength,
              "train.sequence_length", "between 0 (model.context_length) and model.context_length");
    optimizerTable().read(reader, v, c.optim);
    scheduleTable().read(reader, v, c.schedule);
    checkpointTable().read(reader, v, c.checkpoint);
    // Only pretraining writes these tables, but every stage reads them, as it always has.
    fp8Table().read(reader, v, c.fp8);
    fp16Table().read(reader, v, c.fp16);
    distTable().read(reader, v, c.dist);
    v.finish();
    reader.finish();

    c.schedule.peakLr = c.optim.lr;
    c.schedule.totalSteps = t.maxSteps;
    return c;
}

void requireRunSplitsAcross(const RunConfig& config, int worldSize) {
    if (config.train.microBatchSize % worldSize != 0)
        fail(
            "train.micro_batch_size = {} does not split evenly across the {} processes of the run "
            "(WORLD_SIZE); make it a multiple of {}",
            config.train.microBatchSize, worldSize, worldSize);
    const int experts = config.model.moe.numRoutedExperts;
    if (config.dist.expertParallel && experts % worldSize != 0)
        fail(
            "model.moe.num_routed_experts = {} does not split evenly across the {} processes of "
            "the run (dist.expert_parallel); make it a multiple of {} or turn expert parallelism "
            "off",
            experts, worldSize, worldSize);
}

RunConfig loadRunConfig(const fs::path& path, const std::vector<std::string>& overrides) {
    common::ConfigReader reader = common::ConfigReader::fromFile(path);
    for (const std::string& assignment : overrides)
        reader.applyOverride(assignment);
    fs::path baseDir = fs::absolute(path).parent_path();
    return readRunConfig(reader, common::pathsRelativeTo(baseDir));
}

std::string runConfigText(const RunConfig& config) {
    return configText(config, true);
}

std::string defaultRunConfigText(Stage stage) {
    RunConfig config;
    config.stage = stage;
    config.optim.lr = defaultLearningRate(stage);
    return configText(config, stage == Stage::Pretrain);
}

}  // namespace strata::run
