// What PPO and GRPO share: prompts from a task set (data.train, with data.val or val_fraction
// held out), each checked to leave max_new_tokens of room in the context; the reward, [rewards]'
// weights over the rule rewards plus, with init.reward_model, the reward model's normalized score;
// and validation by greedy exact match on the held-out tasks (val_loss is 1 - exact match, so the
// best checkpoint is the most accurate).
#pragma once

#include "core/align/alignment_trainer.h"
#include "core/align/epoch_order.h"
#include "core/align/reward_model.h"
#include "core/align/rollouts.h"
#include "core/data/task_set.h"

#include <optional>

namespace strata::align {

class RolloutTrainer : public AlignmentTrainer {
protected:
    // Reads the [ppo] or [grpo] rollout settings of the config's stage.
    RolloutTrainer(run::RunConfig config, std::filesystem::path runDir, run::MetricsSink& sink);

    // The step's train.micro_batch_size prompts, each answered `samples` times.
    Rollouts sampleStep(int samples);
    // `batch` holds the rollouts as makeResponseBatch lays them out (the reward model reads it).
    RewardBreakdown score(const Rollouts& rollouts, const ResponseBatch& batch);
    // reward, reward_<part> and response_length.
    static void addRolloutMetrics(run::StepMetrics& metrics, const Rollouts& rollouts,
                                  const RewardBreakdown& rewards, int64_t responseTokens);
    // On every inspect_every-th step (metrics.step, counted), records the first
    // inspect_responses rollouts in `metrics` for the rollout inspector. `kl_BT1` is the KL of
    // the policy that sampled them to the reference (undefined without one).
    void inspect(run::StepMetrics& metrics, const Rollouts& rollouts,
                 const RewardBreakdown& rewards, const ResponseBatch& batch,
                 const torch::Tensor& kl_BT1, run::KlEstimator estimator,
                 const std::vector<double>& advantages = {}) const;
    run::EvalMetrics evaluate() override;

private:
    run::RolloutConfig m_rollout;
    int m_samplesPerPrompt = 1;  // sizes the validation batches like a step's rollouts
    std::vector<data::TaskExample> m_train;
    std::vector<data::TaskExample> m_val;
    EpochOrder m_order{0, false, 0};
    std::optional<RewardModel> m_rewardModel;  // frozen, with init.reward_model
    data::RewardContext m_rewardContext;
};

}  // namespace strata::align
