#include "core/run/stage_config.h"

#include "core/common/config_table.h"
#include "core/data/rule_rewards.h"

#include <fmt/format.h>

namespace strata::run {

namespace fs = std::filesystem;
using common::atLeast;
using common::between;
using common::positive;
using common::ValueCheck;

namespace {

constexpr const char* kCurricula[] = {"none", "length", "difficulty"};
constexpr const char* kEstimators[] = {"k1", "k2", "k3"};
constexpr const char* kPlacements[] = {"reward", "loss"};
constexpr const char* kAggregations[] = {"sequence", "token", "dr_grpo"};
constexpr const char* kValueModels[] = {"head", "reward_model"};  // PpoConfig::valueFromRewardModel

const ValueCheck<double> kOpenFraction{[](double v) { return v > 0 && v < 1; }, "in (0, 1)"};

// [init] names what the stage's kind of training needs.
common::ConfigTable<InitConfig> initTable(Stage stage) {
    auto table =
        common::ConfigTable<InitConfig>(
            "init", "Where the stage starts. Relative paths are relative to this file's folder.")
            .path("model", &InitConfig::model,
                  "The model to train: a checkpoint folder (runs/<run>/checkpoints/step-N) or a "
                  "model folder. Its\n"
                  "model.toml is the run's [model] table and its tokenizer.json the run's "
                  "tokenizer.");
    if (stage == Stage::Dpo || isReinforcementStage(stage))
        table.path("reference", &InitConfig::reference,
                   "The frozen reference model the KL terms are measured against; empty: "
                   "init.model.");
    if (isReinforcementStage(stage))
        table.path("reward_model", &InitConfig::rewardModel,
                   "A reward run's checkpoint that scores responses (weighted by rewards.model); "
                   "empty:\n"
                   "rule-based rewards only. Its tokenizer must be the policy's.");
    return table;
}

// The LoRA keys [sft] and [grpo] share.
const common::ConfigTable<LoraConfig>& loraKeys() {
    static const auto keys =
        common::ConfigTable<LoraConfig>("lora")
            .key("lora", &LoraConfig::enabled,
                 "Train LoRA adapters (W + alpha / rank * B A on every attention and feed-forward "
                 "projection)\n"
                 "instead of every weight; checkpoints keep them in lora.safetensors, merged when "
                 "loaded.")
            .key("lora_rank", &LoraConfig::rank, "", positive<int>())
            .key("lora_alpha", &LoraConfig::alpha, "", positive<double>());
    return keys;
}

const common::ConfigTable<SftConfig>& sftTable() {
    static const auto table =
        common::ConfigTable<SftConfig>("sft")
            .key("packing", &SftConfig::packing,
                 "Pack several conversations into each sequence (train.sequence_length tokens); "
                 "each attends only\n"
                 "to itself and the loss stays on the assistant turns.")
            .choice("curriculum", &SftConfig::curriculum, kCurricula,
                    "The order conversations are trained in: \"none\" (shuffled each epoch), "
                    "\"length\" (short to long)\n"
                    "or \"difficulty\" (by each line's \"difficulty\" field, low to high).")
            .keysOf(&SftConfig::lora, loraKeys());
    return table;
}

const common::ConfigTable<RewardModelConfig>& rewardTable() {
    static const auto table = common::ConfigTable<RewardModelConfig>("reward").key(
        "margin", &RewardModelConfig::margin,
        "Bradley-Terry loss -log sigmoid(r_chosen - r_rejected - margin): a positive margin asks "
        "for a\n"
        "clear gap between the two rewards.",
        atLeast(0.0));
    return table;
}

const common::ConfigTable<DpoConfig>& dpoTable() {
    static const auto table = common::ConfigTable<DpoConfig>("dpo").key(
        "beta", &DpoConfig::beta,
        "How far the policy may move from the reference: the implicit reward is beta times the "
        "log\n"
        "ratio of policy and reference (Rafailov et al., 2023; TRL's default 0.1).",
        positive<double>());
    return table;
}

// The sampling keys PPO's and GRPO's tables share.
const common::ConfigTable<RolloutConfig>& rolloutKeys() {
    static const auto keys =
        common::ConfigTable<RolloutConfig>("rollout")
            .key("max_new_tokens", &RolloutConfig::maxNewTokens,
                 "Tokens a sampled response may have; it ends earlier at <|eos|>.", positive<int>())
            .key("temperature", &RolloutConfig::temperature,
                 "Sampling temperature of the rollouts (no top-k or top-p: the log-probabilities "
                 "must be the\n"
                 "policy's own).",
                 positive<double>())
            .key("inspect_responses", &RolloutConfig::inspectResponses,
                 "The rollout inspector (Train page): the first inspect_responses responses of "
                 "every\n"
                 "inspect_every-th step are recorded with their reward parts and per-token KL (0: "
                 "none).",
                 atLeast(0, " (0: none)"))
            .key("inspect_every", &RolloutConfig::inspectEvery, "", positive<int>());
    return keys;
}

const common::ConfigTable<PpoConfig>& ppoTable() {
    static const auto table =
        common::ConfigTable<PpoConfig>(
            "ppo", "Each step samples one response for each of train.micro_batch_size prompts.")
            .keysOf(&PpoConfig::rollout, rolloutKeys())
            .key("epochs", &PpoConfig::epochs,
                 "Passes over each step's rollouts, and optimizer steps per pass (TRL: 4 epochs).",
                 positive<int>())
            .key("minibatches", &PpoConfig::minibatches, "", positive<int>())
            .key("clip", &PpoConfig::clip,
                 "The clipped surrogate's epsilon and the value function's clip range (TRL: 0.2 "
                 "and 0.2).",
                 kOpenFraction)
            .key("value_clip", &PpoConfig::valueClip, "", atLeast(0.0, " (0: no value clipping)"))
            .key("gamma", &PpoConfig::gamma,
                 "GAE's discount and lambda (TRL: 1.0 and 0.95; responses are short episodes).",
                 between(0.0, 1.0))
            .key("lambda", &PpoConfig::lambda, "", between(0.0, 1.0))
            .key("entropy_coef", &PpoConfig::entropyCoef,
                 "The entropy bonus and the value loss weight (TRL's vf_coef: 0.1).", atLeast(0.0))
            .key("value_coef", &PpoConfig::valueCoef, "", positive<double>())
            .key("kl_coef", &PpoConfig::klCoef,
                 "The KL penalty to the reference: its coefficient (TRL: 0.05), fixed or adaptive "
                 "(Ziegler et\n"
                 "al., 2019: the coefficient follows the KL toward kl_target over kl_horizon "
                 "samples).",
                 atLeast(0.0))
            .key("adaptive_kl", &PpoConfig::adaptiveKl)
            .key("kl_target", &PpoConfig::klTarget, "", positive<double>())
            .key("kl_horizon", &PpoConfig::klHorizon, "", positive<double>())
            .choice("kl_estimator", &PpoConfig::klEstimator, kEstimators,
                    "The KL estimator per token (Schulman's k1, k2 or k3) and where the penalty "
                    "goes: \"reward\" (a\n"
                    "per-token penalty in the rewards, as InstructGPT) or \"loss\" (a term of the "
                    "policy loss).")
            .choice("kl_penalty", &PpoConfig::klPlacement, kPlacements)
            .key("whiten_advantages", &PpoConfig::whitenAdvantages,
                 "Standardize the advantages of each step's rollouts.")
            .choice("value_model", &PpoConfig::valueFromRewardModel, kValueModels,
                    "The value function: \"head\" (a linear head on the policy's last hidden "
                    "state) or\n"
                    "\"reward_model\" (a copy of init.reward_model, trained as the critic).");
    return table;
}

const common::ConfigTable<GrpoConfig>& grpoTable() {
    static const auto table =
        common::ConfigTable<GrpoConfig>(
            "grpo",
            "Each step samples group_size responses for each of train.micro_batch_size prompts.")
            .keysOf(&GrpoConfig::rollout, rolloutKeys())
            .key("group_size", &GrpoConfig::groupSize,
                 "Responses per prompt; each one's advantage is its reward standardized within "
                 "its group.",
                 atLeast(2, " (advantages compare a group)"))
            .key("beta", &GrpoConfig::beta,
                 "The KL term to the reference in the loss, and its estimator (DeepSeekMath: 0.04 "
                 "with k3); 0\n"
                 "leaves the reference out.",
                 atLeast(0.0, " (0: no KL term)"))
            .choice("kl_estimator", &GrpoConfig::klEstimator, kEstimators)
            .choice("loss", &GrpoConfig::aggregation, kAggregations,
                    "How token losses become the loss: \"sequence\" (each response's mean, then "
                    "the mean over\n"
                    "responses, as the paper), \"token\" (the mean over all tokens, as DAPO) or "
                    "\"dr_grpo\" (summed\n"
                    "and divided by max_new_tokens, with advantages not divided by the group's "
                    "deviation).")
            .key("clip", &GrpoConfig::clip,
                 "The clipped ratio's epsilon, and optimizer steps on each step's samples (the "
                 "paper's mu).",
                 kOpenFraction)
            .key("epochs", &GrpoConfig::epochs, "", positive<int>())
            .keysOf(&GrpoConfig::lora, loraKeys());
    return table;
}

// [rewards]: a weight for each rule of ruleRewards(), then the reward model's.
const common::ConfigTable<RewardWeights>& rewardsTable() {
    static const auto table = [] {
        common::ConfigTable<RewardWeights> rewards(
            "rewards",
            "The reward of a response: the weighted sum of the rule-based rewards (each in [0, "
            "1]) and the\n"
            "reward model's normalized score.");
        for (size_t i = 0; i < data::ruleRewards().size(); ++i)
            rewards.keyAt<double>(
                data::ruleRewards()[i].name,
                [i](auto& weights) -> auto& { return weights.rules[i]; },
                data::ruleRewards()[i].description, atLeast(0.0));
        rewards
            .key("model", &RewardWeights::model,
                 "The reward model's score, standardized with the statistics saved with it.",
                 atLeast(0.0))
            .path("blocklist", &RewardWeights::blocklist,
                  "A file of blocked words (one a line) for the safety reward; empty: nothing is "
                  "blocked.");
        return rewards;
    }();
    return table;
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

void readAlignConfig(common::ConfigReader& reader, common::ConfigValidator& v, Stage stage,
                     const common::PathResolver& resolvePath, AlignConfig& c) {
    if (stage == Stage::Pretrain) return;
    initTable(stage).read(reader, v, c.init, resolvePath);
    v.require(!c.init.model.empty(), "init.model", "the checkpoint or model folder to start from");
    if (stage == Stage::Sft) sftTable().read(reader, v, c.sft);
    if (stage == Stage::Reward) rewardTable().read(reader, v, c.reward);
    if (stage == Stage::Dpo) dpoTable().read(reader, v, c.dpo);
    if (stage == Stage::Ppo) ppoTable().read(reader, v, c.ppo);
    if (stage == Stage::Grpo) grpoTable().read(reader, v, c.grpo);
    if (!isReinforcementStage(stage)) return;

    const RewardWeights& w = c.rewards;
    rewardsTable().read(reader, v, c.rewards, resolvePath);
    double sum = w.model;
    for (double weight : w.rules)
        sum += weight;
    v.require(sum > 0, "rewards.model", "positive when every rule weighs 0");
    v.require(w.model == 0 || !c.init.rewardModel.empty(), "rewards.model",
              "0 without init.reward_model");
    v.require(w.model > 0 || c.init.rewardModel.empty(), "rewards.model",
              "positive when init.reward_model is set (or the reward model scores nothing)");
    v.require(stage != Stage::Ppo || !c.ppo.valueFromRewardModel || !c.init.rewardModel.empty(),
              "ppo.value_model", "\"head\" without init.reward_model");
}

std::string alignConfigText(Stage stage, const AlignConfig& c) {
    if (stage == Stage::Pretrain) return {};
    std::string text = "\n" + initTable(stage).text(c.init);
    if (stage == Stage::Sft) text += "\n" + sftTable().text(c.sft);
    if (stage == Stage::Reward) text += "\n" + rewardTable().text(c.reward);
    if (stage == Stage::Dpo) text += "\n" + dpoTable().text(c.dpo);
    if (stage == Stage::Ppo) text += "\n" + ppoTable().text(c.ppo);
    if (stage == Stage::Grpo) text += "\n" + grpoTable().text(c.grpo);
    if (isReinforcementStage(stage)) text += "\n" + rewardsTable().text(c.rewards);
    return text;
}

}  // namespace strata::run
