// GRPO (Shao et al., 2024): each step answers train.micro_batch_size prompts of the task set
// group_size times, rewards each response (rollout_trainer.h), turns rewards into advantages
// within each prompt's group (no value model), and takes grpo.epochs steps of the clipped
// objective with beta times the KL to the frozen reference, aggregated per sequence, per token or
// as Dr. GRPO. With grpo.lora only LoRA adapters train, and the reference is the model under them.
#pragma once

#include "core/align/rollout_trainer.h"

namespace strata::align {

class GrpoTrainer : public RolloutTrainer {
public:
    GrpoTrainer(run::RunConfig config, std::filesystem::path runDir, run::MetricsSink& sink,
                bool resume);

private:
    run::StepMetrics trainStep() override;

    bool m_referenceIsBase = false;  // the reference is m_policy without its adapters
};

}  // namespace strata::align
