#include "core/run/stage_config.h"

#include "core/common/config_reader.h"
#include "core/common/config_validator.h"
#include "core/common/toml_text.h"
#include "core/data/rule_rewards.h"

#include <fmt/format.h>

namespace strata::run {

namespace fs = std::filesystem;
using common::tomlBool;
using common::tomlFloat;
using common::tomlString;

namespace {

void readPath(common::ConfigReader& reader, const std::string& key, const PathResolver& resolvePath,
              fs::path& value) {
    std::string text = value.string();
    reader.read(key, text);
    value = text.empty() ? fs::path() : resolvePath(text, key);
}

// Reads a key whose value is one of `names` (in the order of the enum's values).
template <typename Enum, size_t N>
void readChoice(common::ConfigReader& reader, common::ConfigValidator& validator,
                const std::string& key, const char* const (&names)[N], Enum& value) {
    std::string text = names[size_t(value)];
    reader.read(key, text);
    std::string expected;
    for (size_t i = 0; i < N; ++i) {
        expected += fmt::format("{}\"{}\"", i == 0 ? "" : i + 1 == N ? " or " : ", ", names[i]);
        if (text == names[i]) value = Enum(i);
    }
    validator.require(text == names[size_t(value)], key, expected);
}

constexpr const char* kCurricula[] = {"none", "length", "difficulty"};
constexpr const char* kEstimators[] = {"k1", "k2", "k3"};
constexpr const char* kPlacements[] = {"reward", "loss"};
constexpr const char* kAggregations[] = {"sequence", "token", "dr_grpo"};

void readRollout(common::ConfigReader& reader, common::ConfigValidator& v, const std::string& table,
                 RolloutConfig& rollout) {
    reader.read(table + ".max_new_tokens", rollout.maxNewTokens);
    reader.read(table + ".temperature", rollout.temperature);
    reader.read(table + ".inspect_responses", rollout.inspectResponses);
    reader.read(table + ".inspect_every", rollout.inspectEvery);
    v.require(rollout.maxNewTokens >= 1, table + ".max_new_tokens", "positive");
    v.require(rollout.temperature > 0, table + ".temperature", "positive");
    v.require(rollout.inspectResponses >= 0, table + ".inspect_responses", "at least 0 (0: none)");
    v.require(rollout.inspectEvery >= 1, table + ".inspect_every", "positive");
}

std::string rolloutText(const RolloutConfig& rollout) {
    return fmt::format(
        R"(# Tokens a sampled response may have; it ends earlier at <|eos|>.
max_new_tokens = {}
# Sampling temperature of the rollouts (no top-k or top-p: the log-probabilities must be the
# policy's own).
temperature = {}
# The rollout inspector (Train page): the first inspect_responses responses of every
# inspect_every-th step are recorded with their reward parts and per-token KL (0: none).
inspect_responses = {}
inspect_every = {}
)",
        rollout.maxNewTokens, tomlFloat(rollout.temperature), rollout.inspectResponses,
        rollout.inspectEvery);
}

std::string initText(Stage stage, const InitConfig& init) {
    std::string text = fmt::format(
        R"(
# Where the stage starts. Relative paths are relative to this file's folder.
[init]
# The model to train: a checkpoint folder (runs/<run>/checkpoints/step-N) or a model folder. Its
# model.toml is the run's [model] table and its tokenizer.json the run's tokenizer.
model = {}
)",
        tomlString(init.model.string()));
    if (stage == Stage::Dpo || isReinforcementStage(stage))
        text += fmt::format(
            R"(# The frozen reference model the KL terms are measured against; empty: init.model.
reference = {}
)",
            tomlString(init.reference.string()));
    if (isReinforcementStage(stage))
        text += fmt::format(
            R"(# A reward run's checkpoint that scores responses (weighted by rewards.model); empty:
# rule-based rewards only. Its tokenizer must be the policy's.
reward_model = {}
)",
            tomlString(init.rewardModel.string()));
    return text;
}

std::string rewardsText(const RewardWeights& weights) {
    std::string text = R"(
# The reward of a response: the weighted sum of the rule-based rewards (each in [0, 1]) and the
# reward model's normalized score.
[rewards]
)";
    for (size_t i = 0; i < data::ruleRewards().size(); ++i)
        text += fmt::format("# {}\n{} = {}\n", data::ruleRewards()[i].description,
                            data::ruleRewards()[i].name, tomlFloat(weights.rules[i]));
    text += fmt::format(
        R"(# The reward model's score, standardized with the statistics saved with it.
model = {}
# A file of blocked words (one a line) for the safety reward; empty: nothing is blocked.
blocklist = {}
)",
        tomlFloat(weights.model), tomlString(weights.blocklist.string()));
    return text;
}

}  // namespace

RewardWeights defaultRewardWeights() {
    RewardWeights weights;
    weights.rules = {0.4, 0.3, 0.2, 0.1};
    weights.rules.resize(data::ruleRewards().size(), 0.0);
    return weights;
}

double defaultLearningRate(Stage stage) {
    switch (stage) {
        case Stage::Sft:
        case Stage::Reward:
            return 3e-5;
        case Stage::Ppo:
            return 3e-6;
        case Stage::Dpo:
        case Stage::Grpo:
            return 1e-6;
        default:
            return 3e-4;
    }
}

std::vector<std::string> stagePathKeys(Stage stage) {
    if (stage == Stage::Pretrain) return {"data.shards", "data.tokenizer"};
    std::vector<std::string> keys{"init.model", "data.train", "data.val", "data.tokenizer"};
    if (stage == Stage::Dpo || isReinforcementStage(stage)) keys.push_back("init.reference");
    if (isReinforcementStage(stage))
        keys.insert(keys.end(), {"init.reward_model", "rewards.blocklist"});
    return keys;
}

const char* klEstimatorName(KlEstimator estimator) {
    return kEstimators[size_t(estimator)];
}

PathResolver pathsRelativeTo(fs::path baseDir) {
    return [baseDir = std::move(baseDir)](const std::string& text, const std::string&) {
        fs::path path(text);
        return (path.is_absolute() ? path : baseDir / path).lexically_normal();
    };
}

void readAlignConfig(common::ConfigReader& reader, common::ConfigValidator& v, Stage stage,
                     const PathResolver& resolvePath, AlignConfig& c) {
    if (stage == Stage::Pretrain) return;
    readPath(reader, "init.model", resolvePath, c.init.model);
    v.require(!c.init.model.empty(), "init.model", "the checkpoint or model folder to start from");
    if (stage == Stage::Dpo || isReinforcementStage(stage))
        readPath(reader, "init.reference", resolvePath, c.init.reference);

    if (stage == Stage::Sft) {
        reader.read("sft.packing", c.sft.packing);
        readChoice(reader, v, "sft.curriculum", kCurricula, c.sft.curriculum);
        reader.read("sft.lora", c.sft.lora);
        reader.read("sft.lora_rank", c.sft.loraRank);
        reader.read("sft.lora_alpha", c.sft.loraAlpha);
        v.require(c.sft.loraRank >= 1, "sft.lora_rank", "positive");
        v.require(c.sft.loraAlpha > 0, "sft.lora_alpha", "positive");
    } else if (stage == Stage::Reward) {
        reader.read("reward.margin", c.reward.margin);
        v.require(c.reward.margin >= 0, "reward.margin", "at least 0");
    } else if (stage == Stage::Dpo) {
        reader.read("dpo.beta", c.dpo.beta);
        v.require(c.dpo.beta > 0, "dpo.beta", "positive");
    } else if (stage == Stage::Ppo) {
        PpoConfig& p = c.ppo;
        readRollout(reader, v, "ppo", p.rollout);
        reader.read("ppo.epochs", p.epochs);
        reader.read("ppo.minibatches", p.minibatches);
        reader.read("ppo.clip", p.clip);
        reader.read("ppo.value_clip", p.valueClip);
        reader.read("ppo.gamma", p.gamma);
        reader.read("ppo.lambda", p.lambda);
        reader.read("ppo.entropy_coef", p.entropyCoef);
        reader.read("ppo.value_coef", p.valueCoef);
        reader.read("ppo.kl_coef", p.klCoef);
        reader.read("ppo.adaptive_kl", p.adaptiveKl);
        reader.read("ppo.kl_target", p.klTarget);
        reader.read("ppo.kl_horizon", p.klHorizon);
        readChoice(reader, v, "ppo.kl_estimator", kEstimators, p.klEstimator);
        readChoice(reader, v, "ppo.kl_penalty", kPlacements, p.klPlacement);
        reader.read("ppo.whiten_advantages", p.whitenAdvantages);
        std::string value = p.valueFromRewardModel ? "reward_model" : "head";
        reader.read("ppo.value_model", value);
        v.require(value == "head" || value == "reward_model", "ppo.value_model",
                  "\"head\" or \"reward_model\"");
        p.valueFromRewardModel = value == "reward_model";
        v.require(p.epochs >= 1, "ppo.epochs", "positive");
        v.require(p.minibatches >= 1, "ppo.minibatches", "positive");
        v.require(p.clip > 0 && p.clip < 1, "ppo.clip", "in (0, 1)");
        v.require(p.valueClip >= 0, "ppo.value_clip", "at least 0 (0: no value clipping)");
        v.fraction(p.gamma, "ppo.gamma");
        v.fraction(p.lambda, "ppo.lambda");
        v.require(p.entropyCoef >= 0, "ppo.entropy_coef", "at least 0");
        v.require(p.valueCoef > 0, "ppo.value_coef", "positive");
        v.require(p.klCoef >= 0, "ppo.kl_coef", "at least 0");
        v.require(p.klTarget > 0, "ppo.kl_target", "positive");
        v.require(p.klHorizon > 0, "ppo.kl_horizon", "positive");
    } else if (stage == Stage::Grpo) {
        GrpoConfig& g = c.grpo;
        readRollout(reader, v, "grpo", g.rollout);
        reader.read("grpo.group_size", g.groupSize);
        reader.read("grpo.beta", g.beta);
        readChoice(reader, v, "grpo.kl_estimator", kEstimators, g.klEstimator);
        readChoice(reader, v, "grpo.loss", kAggregations, g.aggregation);
        reader.read("grpo.clip", g.clip);
        reader.read("grpo.epochs", g.epochs);
        v.require(g.groupSize >= 2, "grpo.group_size", "at least 2 (advantages compare a group)");
        v.require(g.beta >= 0, "grpo.beta", "at least 0 (0: no KL term)");
        v.require(g.clip > 0 && g.clip < 1, "grpo.clip", "in (0, 1)");
        v.require(g.epochs >= 1, "grpo.epochs", "positive");
    }

    if (isReinforcementStage(stage)) {
        readPath(reader, "init.reward_model", resolvePath, c.init.rewardModel);
        RewardWeights& w = c.rewards;
        double sum = 0;
        for (size_t i = 0; i < data::ruleRewards().size(); ++i) {
            std::string key = fmt::format("rewards.{}", data::ruleRewards()[i].name);
            reader.read(key, w.rules[i]);
            v.require(w.rules[i] >= 0, key, "at least 0");
            sum += w.rules[i];
        }
        reader.read("rewards.model", w.model);
        readPath(reader, "rewards.blocklist", resolvePath, w.blocklist);
        v.require(w.model >= 0, "rewards.model", "at least 0");
        v.require(sum + w.model > 0, "rewards.model", "positive when every rule weighs 0");
        v.require(w.model == 0 || !c.init.rewardModel.empty(), "rewards.model",
                  "0 without init.reward_model");
        v.require(w.model > 0 || c.init.rewardModel.empty(), "rewards.model",
                  "positive when init.reward_model is set (or the reward model scores nothing)");
        v.require(stage != Stage::Ppo || !c.ppo.valueFromRewardModel || !c.init.rewardModel.empty(),
                  "ppo.value_model", "\"head\" without init.reward_model");
    }
}

std::string alignConfigText(Stage stage, const AlignConfig& c) {
    if (stage == Stage::Pretrain) return {};
    std::string text = initText(stage, c.init);
    switch (stage) {
        case Stage::Sft:
            text += fmt::format(
                R"(
[sft]
# Pack several conversations into each sequence (train.sequence_length tokens); each attends only
# to itself and the loss stays on the assistant turns.
packing = {}
# The order conversations are trained in: "none" (shuffled each epoch), "length" (short to long)
# or "difficulty" (by each line's "difficulty" field, low to high).
curriculum = "{}"
# Train LoRA adapters (W + alpha / rank * B A on every attention and feed-forward projection)
# instead of every weight; checkpoints keep them in lora.safetensors, merged when loaded.
lora = {}
lora_rank = {}
lora_alpha = {}
)",
                tomlBool(c.sft.packing), kCurricula[size_t(c.sft.curriculum)], tomlBool(c.sft.lora),
                c.sft.loraRank, tomlFloat(c.sft.loraAlpha));
            break;
        case Stage::Reward:
            text += fmt::format(
                R"(
[reward]
# Bradley-Terry loss -log sigmoid(r_chosen - r_rejected - margin): a positive margin asks for a
# clear gap between the two rewards.
margin = {}
)",
                tomlFloat(c.reward.margin));
            break;
        case Stage::Dpo:
            text += fmt::format(
                R"(
[dpo]
# How far the policy may move from the reference: the implicit reward is beta times the log
# ratio of policy and reference (Rafailov et al., 2023; TRL's default 0.1).
beta = {}
)",
                tomlFloat(c.dpo.beta));
            break;
        case Stage::Ppo: {
            const PpoConfig& p = c.ppo;
            text +=
                "\n# Each step samples one response for each of train.micro_batch_size "
                "prompts.\n[ppo]\n" +
                rolloutText(p.rollout) +
                fmt::format(
                    R"(# Passes over each step's rollouts, and optimizer steps per pass (TRL: 4 epochs).
epochs = {}
minibatches = {}
# The clipped surrogate's epsilon and the value function's clip range (TRL: 0.2 and 0.2).
clip = {}
value_clip = {}
# GAE's discount and lambda (TRL: 1.0 and 0.95; responses are short episodes).
gamma = {}
lambda = {}
# The entropy bonus and the value loss weight (TRL's vf_coef: 0.1).
entropy_coef = {}
value_coef = {}
# The KL penalty to the reference: its coefficient (TRL: 0.05), fixed or adaptive (Ziegler et
# al., 2019: the coefficient follows the KL toward kl_target over kl_horizon samples).
kl_coef = {}
adaptive_kl = {}
kl_target = {}
kl_horizon = {}
# The KL estimator per token (Schulman's k1, k2 or k3) and where the penalty goes: "reward" (a
# per-token penalty in the rewards, as InstructGPT) or "loss" (a term of the policy loss).
kl_estimator = "{}"
kl_penalty = "{}"
# Standardize the advantages of each step's rollouts.
whiten_advantages = {}
# The value function: "head" (a linear head on the policy's last hidden state) or
# "reward_model" (a copy of init.reward_model, trained as the critic).
value_model = "{}"
)",
                    p.epochs, p.minibatches, tomlFloat(p.clip), tomlFloat(p.valueClip),
                    tomlFloat(p.gamma), tomlFloat(p.lambda), tomlFloat(p.entropyCoef),
                    tomlFloat(p.valueCoef), tomlFloat(p.klCoef), tomlBool(p.adaptiveKl),
                    tomlFloat(p.klTarget), tomlFloat(p.klHorizon),
                    kEstimators[size_t(p.klEstimator)], kPlacements[size_t(p.klPlacement)],
                    tomlBool(p.whitenAdvantages), p.valueFromRewardModel ? "reward_model" : "head");
            text += rewardsText(c.rewards);
            break;
        }
        case Stage::Grpo: {
            const GrpoConfig& g = c.grpo;
            text +=
                "\n# Each step samples group_size responses for each of train.micro_batch_size "
                "prompts.\n[grpo]\n" +
                rolloutText(g.rollout) +
                fmt::format(
                    R"(# Responses per prompt; each one's advantage is its reward standardized within its group.
group_size = {}
# The KL term to the reference in the loss, and its estimator (DeepSeekMath: 0.04 with k3); 0
# leaves the reference out.
beta = {}
kl_estimator = "{}"
# How token losses become the loss: "sequence" (each response's mean, then the mean over
# responses, as the paper), "token" (the mean over all tokens, as DAPO) or "dr_grpo" (summed
# and divided by max_new_tokens, with advantages not divided by the group's deviation).
loss = "{}"
# The clipped ratio's epsilon, and optimizer steps on each step's samples (the paper's mu).
clip = {}
epochs = {}
)",
                    g.groupSize, tomlFloat(g.beta), kEstimators[size_t(g.klEstimator)],
                    kAggregations[size_t(g.aggregation)], tomlFloat(g.clip), g.epochs);
            text += rewardsText(c.rewards);
            break;
        }
        default:
            break;
    }
    return text;
}

}  // namespace strata::run
