// The stages a run can be: pretraining (core/train) and the alignment stages after it
// (core/align). The run config's train.stage, the worker's start.spec.stage and the studio's
// stage choice all use these names.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace strata::run {

enum class Stage { Pretrain, Sft, Reward, Dpo, Ppo, Grpo };

inline constexpr std::array<Stage, 6> kStages = {Stage::Pretrain, Stage::Sft, Stage::Reward,
                                                 Stage::Dpo,      Stage::Ppo, Stage::Grpo};

// "pretrain", "sft", "reward", "dpo", "ppo", "grpo".
const char* stageName(Stage stage);
std::optional<Stage> parseStage(std::string_view name);
// "pretrain, sft, reward, dpo, ppo or grpo", for error messages.
const char* stageNameList();

// The stages that sample responses from the policy.
inline bool isReinforcementStage(Stage stage) {
    return stage == Stage::Ppo || stage == Stage::Grpo;
}

}  // namespace strata::run
