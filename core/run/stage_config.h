// The run config's tables for the alignment stages (docs/formats.md lists every key):
//   [init]     the model a stage starts from, its frozen reference, the reward model
//   [sft]      packing, curriculum and LoRA
//   [reward]   the Bradley-Terry margin
//   [dpo]      beta
//   [ppo]      rollouts, GAE, clipping, the KL penalty, the value model
//   [grpo]     group sampling, the KL term, loss aggregation, LoRA
//   [rewards]  how PPO and GRPO weigh the rule-based rewards and the reward model
// A run config holds only the tables of its stage (train.stage); core/run/run_config.h reads
// the rest. LibTorch-free: the worker and the studio read these too.
#pragma once

#include "core/common/path_resolver.h"
#include "core/run/stage.h"

#include <filesystem>
#include <string>
#include <vector>

namespace strata::common {
class ConfigReader;
class ConfigValidator;
}  // namespace strata::common

namespace strata::run {

struct InitConfig {
    std::filesystem::path model;        // a checkpoint or model folder; pretrain: none
    std::filesystem::path reference;    // DPO, PPO, GRPO: the frozen reference; empty: model
    std::filesystem::path rewardModel;  // PPO, GRPO: a reward run's checkpoint, or none
    bool operator==(const InitConfig&) const = default;
};

enum class Curriculum { None, Length, Difficulty };

// Train LoRA adapters (core/model/lora.h) instead of every weight: the keys `lora`, `lora_rank`
// and `lora_alpha` of the stages that can ([sft], [grpo]).
struct LoraConfig {
    bool enabled = false;
    int rank = 8;
    double alpha = 16.0;
    bool operator==(const LoraConfig&) const = default;
};

struct SftConfig {
    bool packing = true;  // several conversations per sequence, attending only within their own
    Curriculum curriculum = Curriculum::None;
    LoraConfig lora;
    bool operator==(const SftConfig&) const = default;
};

struct RewardModelConfig {
    double margin = 0.0;  // Bradley-Terry: -log sigmoid(r_chosen - r_rejected - margin)
    bool operator==(const RewardModelConfig&) const = default;
};

struct DpoConfig {
    double beta = 0.1;
    bool operator==(const DpoConfig&) const = default;
};

enum class KlEstimator { K1, K2, K3 };
enum class KlPlacement { Reward, Loss };  // a per-token reward penalty, or a term of the loss

// How PPO and GRPO sample responses.
struct RolloutConfig {
    int maxNewTokens = 32;
    double temperature = 1.0;
    // The rollout inspector's share: the first inspectResponses responses of every
    // inspectEvery-th step go into the event log with their rewards and per-token KL.
    int inspectResponses = 8;
    int inspectEvery = 1;
    bool operator==(const RolloutConfig&) const = default;
};

struct PpoConfig {
    RolloutConfig rollout;
    int epochs = 4;       // passes over each iteration's rollouts
    int minibatches = 2;  // optimizer steps per pass
    double clip = 0.2;
    double valueClip = 0.2;
    double gamma = 1.0;
    double lambda = 0.95;
    double entropyCoef = 0.01;
    double valueCoef = 0.1;
    double klCoef = 0.05;
    bool adaptiveKl = false;  // Ziegler et al.: the coefficient follows the KL to klTarget
    double klTarget = 6.0;
    double klHorizon = 10000;
    KlEstimator klEstimator = KlEstimator::K1;
    KlPlacement klPlacement = KlPlacement::Reward;
    bool whitenAdvantages = true;
    bool valueFromRewardModel = false;  // else a value head on the policy
    bool operator==(const PpoConfig&) const = default;
};

enum class LossAggregation { Sequence, Token, DrGrpo };

struct GrpoConfig {
    RolloutConfig rollout;
    int groupSize = 8;
    double beta = 0.04;
    KlEstimator klEstimator = KlEstimator::K3;
    LossAggregation aggregation = LossAggregation::Sequence;
    double clip = 0.2;
    int epochs = 1;   // optimizer steps on each group's samples (mu)
    LoraConfig lora;  // the reference is then the model without its adapters
    bool operator==(const GrpoConfig&) const = default;
};

struct RewardWeights {
    // One weight per rule of ruleRewards(), in its order.
    std::vector<double> rules;
    double model = 0.0;  // the reward model's normalized score
    std::filesystem::path blocklist;
    bool operator==(const RewardWeights&) const = default;
};

// 0.4 correctness + 0.3 coherence + 0.2 diversity + 0.1 safety, as in the reward design the
// studio's sample uses; no reward model.
RewardWeights defaultRewardWeights();

struct AlignConfig {
    InitConfig init;
    SftConfig sft;
    RewardModelConfig reward;
    DpoConfig dpo;
    PpoConfig ppo;
    GrpoConfig grpo;
    RewardWeights rewards = defaultRewardWeights();
    bool operator==(const AlignConfig&) const = default;
};

// The default peak learning rate of each stage (optim.lr): pretraining's 3e-4, a tenth of it for
// SFT and the reward model, and the small rates of TRL and DeepSeekMath for DPO (1e-6), PPO
// (3e-6) and GRPO (1e-6).
double defaultLearningRate(Stage stage);

// Reads the tables of `stage` into `config` (paths through `resolvePath`) and records invalid
// values with `validator`.
void readAlignConfig(common::ConfigReader& reader, common::ConfigValidator& validator, Stage stage,
                     const common::PathResolver& resolvePath, AlignConfig& config);

// The tables of `stage` as commented TOML; empty for pretraining.
std::string alignConfigText(Stage stage, const AlignConfig& config);

const char* klEstimatorName(KlEstimator estimator);

// The config keys of `stage` that name files or folders ("data.shards", "init.model", ...): what
// a worker resolves against its workspace.
std::vector<std::string> stagePathKeys(Stage stage);

}  // namespace strata::run
