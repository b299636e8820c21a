#include "core/run/stage.h"

namespace strata::run {

const char* stageName(Stage stage) {
    switch (stage) {
        case Stage::Sft:
            return "sft";
        case Stage::Reward:
            return "reward";
        case Stage::Dpo:
            return "dpo";
        case Stage::Ppo:
            return "ppo";
        case Stage::Grpo:
            return "grpo";
        default:
            return "pretrain";
    }
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
