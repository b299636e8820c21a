#include "core/run/run_config.h"

#include "core/common/config_reader.h"
#include "core/common/config_validator.h"
#include "core/common/error.h"
#include "core/common/toml_text.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>

namespace strata::run {

namespace fs = std::filesystem;
using common::fail;
using common::tomlBool;
using common::tomlFloat;
using common::tomlString;

namespace {

const char* scheduleName(ScheduleKind kind) {
    return kind == ScheduleKind::WarmupStableDecay ? "wsd" : "cosine";
}

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

std::string dataText(const RunConfig& c) {
    if (c.stage == Stage::Pretrain)
        return fmt::format(
            R"(
# What to train on. Relative paths are relative to this file's folder.
[data]
# A folder written by `strata-cli shard`: its train split is trained on, its val split evaluated.
shards = {}
# The tokenizer.json the shards were encoded with; its vocabulary must equal model.vocab_size.
tokenizer = {}
)",
            tomlString(c.data.shards.string()), tomlString(c.data.tokenizer.string()));
    return fmt::format(
        R"(
# What to train on. Relative paths are relative to this file's folder.
[data]
# What the stage learns from: {} (docs/formats.md).
train = {}
# Held-out examples for the validation passes; empty: the last val_fraction of train, after a
# seeded shuffle.
val = {}
val_fraction = {}
# The tokenizer; empty: init.model's tokenizer.json, which it must equal.
tokenizer = {}
)",
        trainDataWhat(c.stage), tomlString(c.data.train.string()), tomlString(c.data.val.string()),
        tomlFloat(c.data.valFraction), tomlString(c.data.tokenizer.string()));
}

std::string pretrainingTablesText(const RunConfig& c) {
    const Fp8Config& f = c.fp8;
    const LossScaleConfig& h = c.fp16;
    return fmt::format(
        R"(
# FP8 training (train.precision = "fp8"), core/train/fp8.md.
[fp8]
# How operands are scaled: "tensorwise", "delayed" (a scale per tensor from its amax history, as
# Transformer Engine), "rowwise", or "blockwise" (DeepSeek-V3: 1x128 tiles of activations and
# gradients, 128x128 blocks of weights).
recipe = "{}"
# The output gradients' format: "e5m2" (more range) or "e4m3" (more precision). Inputs and
# weights are always e4m3.
grad_format = "{}"
# Delayed scaling: the steps of amax history, which of them sets the scale ("max" or
# "most_recent"), and the headroom: the scale is divided by 2^margin.
amax_history = {}
amax_compute = "{}"
margin = {}
# Train with the exact FP8 emulation where the device has no FP8 matrix units (the CPU, CUDA
# before compute capability 8.9): the numbers of FP8 hardware, more slowly than bf16.
allow_emulation = {}

# FP16's dynamic loss scaling (train.precision = "fp16"): a step whose gradients overflow is
# skipped and the scale multiplied by backoff_factor; growth_interval good steps in a row
# multiply it by growth_factor.
[fp16]
initial_scale = {}
growth_factor = {}
backoff_factor = {}
growth_interval = {}

# Several processes (WORLD_SIZE > 1, e.g. `strata-cli launch --nproc N`): each trains on
# micro_batch_size / N of every micro-batch, and the gradients are averaged across them.
[dist]
# ZeRO-1: each process keeps AdamW's moments for its share of the parameters only.
zero1 = {}
# Expert parallelism: the routed experts of each MoE layer are spread over the processes, and
# tokens travel to their experts' process and back (all-to-all); num_routed_experts must divide.
expert_parallel = {}
# Gradients are all-reduced in buckets of about this many MiB, overlapping the backward pass.
bucket_mb = {}
# Seconds the rendezvous and every exchange wait for the other processes before the run fails.
timeout_s = {}
)",
        fp8RecipeName(f.recipe), fp8FormatName(f.gradFormat), f.amaxHistory,
        amaxComputeName(f.amaxCompute), f.margin, tomlBool(f.allowEmulation),
        tomlFloat(h.initialScale), tomlFloat(h.growthFactor), tomlFloat(h.backoffFactor),
        h.growthInterval, tomlBool(c.dist.zero1), tomlBool(c.dist.expertParallel), c.dist.bucketMb,
        c.dist.timeoutSeconds);
}

std::string configText(const RunConfig& c, bool includeModel) {
    const TrainConfig& t = c.train;
    const OptimizerConfig& o = c.optim;
    const ScheduleConfig& s = c.schedule;
    const CheckpointConfig& k = c.checkpoint;
    return (includeModel ? model_spec::modelConfigText(c.model) : std::string()) +
           alignConfigText(c.stage, c.align) + dataText(c) +
           fmt::format(
               R"(
[train]
# The stage: {}.
stage = "{}"
# Seeds the weights' initialization, the order of the training examples and the sampling.
seed = {}
# "auto" (the first CUDA device, else the CPU), "cpu", "cuda" or "cuda:N".
device = "{}"
# "auto" (bf16 autocast on CUDA, fp32 on the CPU), "fp32", "bf16", or, for pretraining, "fp16"
# (with the loss scaling of [fp16]) or "fp8" (the projections and experts in FP8, as [fp8] says).
precision = "{}"
# CPU threads for LibTorch's operators; 0 keeps its default (one per core).
threads = {}
# Tokens per training sequence; 0 means model.context_length. Alignment: the longest example
# (longer ones are cut) or packed row.
sequence_length = {}
# Sequences per forward/backward pass, and passes whose gradients one optimizer step adds up:
# a step trains on sequence_length * micro_batch_size * grad_accum_steps tokens. Alignment:
# conversations or packed rows (SFT), preference pairs (reward, DPO), prompts (PPO, GRPO).
micro_batch_size = {}
grad_accum_steps = {}
# Optimizer steps; the schedule below decays over them.
max_steps = {}
# The global gradient norm is clipped to this; 0 turns clipping off.
grad_clip = {}
# Steps between validation passes (pretraining and SFT: loss and perplexity; reward and DPO:
# loss, accuracy and margin; PPO and GRPO: exact match and reward); 0 turns them off.
eval_every = {}
# Micro-batches of the val split per validation pass.
eval_batches = {}
# Steps between console lines; events.jsonl records every step.
log_every = {}
# A step whose loss or gradient is not finite is skipped; this many in a row fail the run.
max_skipped_steps = {}
# The device's peak FLOP/s, for model FLOPs utilization; 0: known GPUs only (no MFU on CPUs).
peak_flops = {}

# AdamW. Weight decay applies to matrices only, never to norms or the embedding.
[optim]
# The peak learning rate.
lr = {}
beta1 = {}
beta2 = {}
eps = {}
weight_decay = {}

[schedule]
# "cosine": linear warmup, then cosine decay to min_lr_ratio * lr at train.max_steps.
# "wsd": warmup, then the peak holds until the last decay_fraction of the steps, which decay
# linearly to min_lr_ratio * lr.
kind = "{}"
warmup_steps = {}
min_lr_ratio = {}
decay_fraction = {}

# Checkpoints go to the run folder's checkpoints/step-NNNNNNN/.
[checkpoint]
# Steps between checkpoints; the last step, a stop and an interrupt always save one.
every = {}
# The newest checkpoints to keep; older ones are deleted, except the best when keep_best is set.
keep_last = {}
# Keep the checkpoint with the lowest validation loss as well.
keep_best = {}
{})",
               stageNameList(), stageName(c.stage), t.seed, t.device, precisionName(t.precision),
               t.threads, t.sequenceLength, t.microBatchSize, t.gradAccumSteps, t.maxSteps,
               tomlFloat(t.gradClip), t.evalEvery, t.evalBatches, t.logEvery, t.maxSkippedSteps,
               tomlFloat(t.peakFlops), tomlFloat(o.lr), tomlFloat(o.beta1), tomlFloat(o.beta2),
               tomlFloat(o.eps), tomlFloat(o.weightDecay), scheduleName(s.kind), s.warmupSteps,
               tomlFloat(s.minLrRatio), tomlFloat(s.decayFraction), k.every, k.keepLast,
               tomlBool(k.keepBest),
               c.stage == Stage::Pretrain ? pretrainingTablesText(c) : std::string());
}

}  // namespace

const char* precisionName(Precision precision) {
    switch (precision) {
        case Precision::Fp32:
            return "fp32";
        case Precision::Bf16:
            return "bf16";
        case Precision::Fp16:
            return "fp16";
        case Precision::Fp8:
            return "fp8";
        default:
            return "auto";
    }
}

RunConfig readRunConfig(common::ConfigReader& reader, const PathResolver& resolvePath) {
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
    auto pathOf = [&](const std::string& text, const std::string& key) {
        return text.empty() ? fs::path() : resolvePath(text, key);
    };
    std::string tokenizer = c.data.tokenizer.string();
    reader.read("data.tokenizer", tokenizer);
    c.data.tokenizer = pathOf(tokenizer, "data.tokenizer");
    std::string shards, trainData, valData;
    if (pretraining) {
        reader.read("data.shards", shards);
        c.data.shards = pathOf(shards, "data.shards");
        v.require(!shards.empty(), "data.shards", "the folder written by `strata-cli shard`");
        v.require(!tokenizer.empty(), "data.tokenizer",
                  "the tokenizer.json the shards were built with");
    } else {
        reader.read("data.train", trainData);
        reader.read("data.val", valData);
        reader.read("data.val_fraction", c.data.valFraction);
        c.data.train = pathOf(trainData, "data.train");
        c.data.val = pathOf(valData, "data.val");
        v.require(!trainData.empty(), "data.train", trainDataWhat(c.stage));
        v.require(c.data.valFraction >= 0 && c.data.valFraction < 1, "data.val_fraction",
                  "in [0, 1)");
        if (c.data.tokenizer.empty() && !c.align.init.model.empty())
            c.data.tokenizer = c.align.init.model / "tokenizer.json";
    }

    if (!pretraining && !c.align.init.model.empty()) {
        model_spec::ModelConfig initial = readModelFolderConfig(c.align.init.model);
        c.model = model_spec::readModelConfig(reader, initial);
        if (!(c.model == initial))
            fail(
                "{}: the [model] table differs from init.model's {}; an alignment stage keeps "
                "the architecture it starts from",
                reader.sourceName(), (c.align.init.model / "model.toml").string());
    } else {
        c.model = model_spec::readModelConfig(reader);
    }

    TrainConfig& t = c.train;
    int64_t seed = int64_t(t.seed);
    std::string precision = precisionName(t.precision);
    reader.read("train.seed", seed);
    reader.read("train.device", t.device);
    reader.read("train.precision", precision);
    reader.read("train.threads", t.threads);
    reader.read("train.sequence_length", t.sequenceLength);
    reader.read("train.micro_batch_size", t.microBatchSize);
    reader.read("train.grad_accum_steps", t.gradAccumSteps);
    reader.read("train.max_steps", t.maxSteps);
    reader.read("train.grad_clip", t.gradClip);
    reader.read("train.eval_every", t.evalEvery);
    reader.read("train.eval_batches", t.evalBatches);
    reader.read("train.log_every", t.logEvery);
    reader.read("train.max_skipped_steps", t.maxSkippedSteps);
    reader.read("train.peak_flops", t.peakFlops);

    OptimizerConfig& o = c.optim;
    reader.read("optim.lr", o.lr);
    reader.read("optim.beta1", o.beta1);
    reader.read("optim.beta2", o.beta2);
    reader.read("optim.eps", o.eps);
    reader.read("optim.weight_decay", o.weightDecay);

    ScheduleConfig& s = c.schedule;
    std::string schedule = scheduleName(s.kind);
    reader.read("schedule.kind", schedule);
    reader.read("schedule.warmup_steps", s.warmupSteps);
    reader.read("schedule.min_lr_ratio", s.minLrRatio);
    reader.read("schedule.decay_fraction", s.decayFraction);

    CheckpointConfig& k = c.checkpoint;
    reader.read("checkpoint.every", k.every);
    reader.read("checkpoint.keep_last", k.keepLast);
    reader.read("checkpoint.keep_best", k.keepBest);

    Fp8Config& f = c.fp8;
    std::string recipe = fp8RecipeName(f.recipe), gradFormat = fp8FormatName(f.gradFormat),
                amaxCompute = amaxComputeName(f.amaxCompute);
    reader.read("fp8.recipe", recipe);
    reader.read("fp8.grad_format", gradFormat);
    reader.read("fp8.amax_history", f.amaxHistory);
    reader.read("fp8.amax_compute", amaxCompute);
    reader.read("fp8.margin", f.margin);
    reader.read("fp8.allow_emulation", f.allowEmulation);
    LossScaleConfig& h = c.fp16;
    reader.read("fp16.initial_scale", h.initialScale);
    reader.read("fp16.growth_factor", h.growthFactor);
    reader.read("fp16.backoff_factor", h.backoffFactor);
    reader.read("fp16.growth_interval", h.growthInterval);
    DistConfig& d = c.dist;
    reader.read("dist.zero1", d.zero1);
    reader.read("dist.expert_parallel", d.expertParallel);
    reader.read("dist.bucket_mb", d.bucketMb);
    reader.read("dist.timeout_s", d.timeoutSeconds);

    v.require(seed >= 0, "train.seed", "at least 0");
    v.require(isDeviceName(t.device), "train.device", "\"auto\", \"cpu\", \"cuda\" or \"cuda:N\"");
    const bool lowPrecision = precision == "fp16" || precision == "fp8";
    v.require(precision == "auto" || precision == "fp32" || precision == "bf16" || lowPrecision,
              "train.precision", "\"auto\", \"fp32\", \"bf16\", \"fp16\" or \"fp8\"");
    v.require(pretraining || !lowPrecision, "train.precision",
              "\"auto\", \"fp32\" or \"bf16\" in an alignment stage (fp16 and fp8 train "
              "pretraining runs)");
    v.require(t.threads >= 0, "train.threads", "at least 0 (0: LibTorch's default)");
    v.require(t.sequenceLength >= 0 && t.sequenceLength <= c.model.contextLength,
              "train.sequence_length", "between 0 (model.context_length) and model.context_length");
    v.require(t.microBatchSize >= 1, "train.micro_batch_size", "positive");
    v.require(t.gradAccumSteps >= 1, "train.grad_accum_steps", "positive");
    v.require(t.maxSteps >= 1, "train.max_steps", "positive");
    v.require(t.gradClip >= 0, "train.grad_clip", "at least 0 (0: no clipping)");
    v.require(t.evalEvery >= 0, "train.eval_every", "at least 0 (0: no validation)");
    v.require(t.evalBatches >= 1, "train.eval_batches", "positive");
    v.require(t.logEvery >= 1, "train.log_every", "positive");
    v.require(t.maxSkippedSteps >= 1, "train.max_skipped_steps", "positive");
    v.require(t.peakFlops >= 0, "train.peak_flops", "at least 0 (0: known GPUs only)");
    v.require(o.lr > 0, "optim.lr", "positive");
    v.require(o.beta1 >= 0 && o.beta1 < 1, "optim.beta1", "in [0, 1)");
    v.require(o.beta2 >= 0 && o.beta2 < 1, "optim.beta2", "in [0, 1)");
    v.require(o.eps > 0, "optim.eps", "positive");
    v.require(o.weightDecay >= 0, "optim.weight_decay", "at least 0");
    v.require(schedule == "cosine" || schedule == "wsd", "schedule.kind", "\"cosine\" or \"wsd\"");
    v.require(s.warmupSteps >= 0, "schedule.warmup_steps", "at least 0");
    v.fraction(s.minLrRatio, "schedule.min_lr_ratio");
    v.fraction(s.decayFraction, "schedule.decay_fraction");
    v.require(k.every >= 1, "checkpoint.every", "positive");
    v.require(k.keepLast >= 1, "checkpoint.keep_last", "at least 1");
    std::optional<Fp8Recipe> parsedRecipe = parseFp8Recipe(recipe);
    std::optional<Fp8Format> parsedGradFormat = parseFp8Format(gradFormat);
    std::optional<AmaxCompute> parsedAmaxCompute = parseAmaxCompute(amaxCompute);
    v.require(parsedRecipe.has_value(), "fp8.recipe",
              "\"tensorwise\", \"delayed\", \"rowwise\" or \"blockwise\"");
    v.require(parsedGradFormat.has_value(), "fp8.grad_format", "\"e5m2\" or \"e4m3\"");
    v.require(f.amaxHistory >= 1 && f.amaxHistory <= 1024, "fp8.amax_history",
              "between 1 and 1024");
    v.require(parsedAmaxCompute.has_value(), "fp8.amax_compute", "\"max\" or \"most_recent\"");
    v.require(f.margin >= 0 && f.margin <= 16, "fp8.margin", "between 0 and 16");
    v.require(h.initialScale > 0 && std::isfinite(h.initialScale), "fp16.initial_scale",
              "positive");
    v.require(h.growthFactor > 1, "fp16.growth_factor", "greater than 1");
    v.require(h.backoffFactor > 0 && h.backoffFactor < 1, "fp16.backoff_factor",
              "between 0 and 1 (exclusive)");
    v.require(h.growthInterval >= 1, "fp16.growth_interval", "positive");
    v.require(d.bucketMb >= 1 && d.bucketMb <= 1024, "dist.bucket_mb", "between 1 and 1024");
    v.require(d.timeoutSeconds >= 1 && d.timeoutSeconds <= 86400, "dist.timeout_s",
              "between 1 and 86400");
    v.finish();
    reader.finish();

    t.seed = uint64_t(seed);
    t.precision = precision == "fp32"   ? Precision::Fp32
                  : precision == "bf16" ? Precision::Bf16
                  : precision == "fp16" ? Precision::Fp16
                  : precision == "fp8"  ? Precision::Fp8
                                        : Precision::Auto;
    f.recipe = *parsedRecipe;
    f.gradFormat = *parsedGradFormat;
    f.amaxCompute = *parsedAmaxCompute;
    s.kind = schedule == "wsd" ? ScheduleKind::WarmupStableDecay : ScheduleKind::Cosine;
    s.peakLr = o.lr;
    s.totalSteps = t.maxSteps;
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
    return readRunConfig(reader, pathsRelativeTo(baseDir));
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
