#include "core/run/stage.h"

namespace strata::run {

// In the order of the enum's values.
constexpr const char* kStageNames[] = {"pretrain", "sft", "reward", "dpo", "ppo", "grpo"};

const char* stageName(Stage stage) {
    return kStageNames[size_t(stage)];
}

std::optional<Stage> parseStage(std::string_view name) {
    for (Stage stage : kStages)
        if (name == stageName(stage)) return stage;
    return std::nullopt;
}

const char* stageNameList() {
    return "pretrain, sft, reward, dpo, ppo or grpo";
}

}  // namespace strata::run
