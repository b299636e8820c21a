// GRPO (Shao et al., 2024): each step answers train.micro_batch_size prompts of the task set
// group_size times, rewards each response (rule_rewards.h, weighted by [rewards]), turns rewards
// into advantages within each prompt's group (no value model), and takes grpo.epochs steps of the
// clipped objective with beta times the KL to the frozen reference, aggregated per sequence, per
// token or as Dr. GRPO. Validation: greedy exact match on the held-out tasks (val_loss is
// 1 - exact match, so the best checkpoint is the most accurate).
#pragma once

#include "core/align/alignment_trainer.h"
#include "core/align/rule_rewards.h"
#include "core/align/task_set.h"

namespace strata::align {

class GrpoTrainer : public AlignmentTrainer {
public:
    GrpoTrainer(train::RunConfig config, std::filesystem::path runDir, train::MetricsSink& sink,
                bool resume);

private:
    train::StepMetrics trainStep() override;
    train::EvalMetrics evaluate() override;
    // The step's prompts: micro_batch_size tasks of a seeded order that changes every epoch.
    std::vector<const TaskExample*> stepTasks() const;

    std::vector<TaskExample> m_train;
    std::vector<TaskExample> m_val;
    model::Transformer m_reference{nullptr};  // when grpo.beta > 0
    RewardContext m_rewardContext;
};

}  // namespace strata::align
