#include "core/align/stage_trainers.h"

#include "core/align/dpo_trainer.h"
#include "core/align/grpo_trainer.h"
#include "core/align/ppo_trainer.h"
#include "core/align/reward_trainer.h"
#include "core/align/sft_trainer.h"
#include "core/train/checkpoint.h"
#include "core/train/pretrainer.h"

namespace strata::align {

std::unique_ptr<train::TrainingLoop> makeStageTrainer(const run::RunConfig& config,
                                                      const std::filesystem::path& runDir,
                                                      run::MetricsSink& sink, bool resume) {
    switch (config.stage) {
        case run::Stage::Pretrain:
            return std::make_unique<train::Pretrainer>(config, runDir, sink, resume);
        case run::Stage::Sft:
            return std::make_unique<SftTrainer>(config, runDir, sink, resume);
        case run::Stage::Reward:
            return std::make_unique<RewardTrainer>(config, runDir, sink, resume);
        case run::Stage::Dpo:
            return std::make_unique<DpoTrainer>(config, runDir, sink, resume);
        case run::Stage::Ppo:
            return std::make_unique<PpoTrainer>(config, runDir, sink, resume);
        case run::Stage::Grpo:
            return std::make_unique<GrpoTrainer>(config, runDir, sink, resume);
    }
    return nullptr;
}

bool hasCheckpoint(const std::filesystem::path& runDir) {
    return train::latestCheckpoint(runDir).has_value();
}

}  // namespace strata::align
