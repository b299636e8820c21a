#include "core/align/stage_trainers.h"

#include "core/align/grpo_trainer.h"
#include "core/align/sft_trainer.h"
#include "core/common/error.h"
#include "core/train/trainer.h"

namespace strata::align {

std::unique_ptr<train::TrainingLoop> makeStageTrainer(const train::RunConfig& config,
                                                      const std::filesystem::path& runDir,
                                                      train::MetricsSink& sink, bool resume) {
    switch (config.stage) {
        case Stage::Pretrain:
            return std::make_unique<train::Trainer>(config, runDir, sink, resume);
        case Stage::Sft:
            return std::make_unique<SftTrainer>(config, runDir, sink, resume);
        case Stage::Grpo:
            return std::make_unique<GrpoTrainer>(config, runDir, sink, resume);
        default:
            common::fail("train.stage \"{}\" cannot run in this build yet",
                         stageName(config.stage));
    }
}

std::vector<Stage> runnableStages() {
    return {Stage::Pretrain, Stage::Sft};
}

}  // namespace strata::align
