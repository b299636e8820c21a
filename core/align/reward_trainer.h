// The reward model as a run: the transformer of init.model with a new scalar head
// (reward_model.h), trained on preference pairs (data.train: JSONL of prompt, chosen and
// rejected, as the labeling panel exports them; preference_trainer.h) with the Bradley-Terry
// loss. Metrics, on the step's pairs
// and on the held-out ones: loss, accuracy (the share of pairs whose chosen response scores
// higher) and margin (the mean of r_chosen - r_rejected). Each checkpoint records the head's
// normalization statistics over the responses of up to eval_batches batches of training pairs.
#pragma once

#include "core/align/preference_trainer.h"
#include "core/align/reward_model.h"

namespace strata::align {

class RewardTrainer : public PreferenceTrainer {
public:
    RewardTrainer(run::RunConfig config, std::filesystem::path runDir, run::MetricsSink& sink,
                  bool resume);

private:
    run::StepMetrics trainStep() override;
    run::EvalMetrics evaluate() override;
    std::filesystem::path writeCheckpoint() override;

    struct PairScores {
        torch::Tensor chosen_N, rejected_N;
        torch::Tensor routerLoss;
        int64_t tokens = 0;  // of both responses and their prompts
    };
    PairScores scorePairs(const PairBatch& pairs);

    RewardHead m_head{nullptr};
};

}  // namespace strata::align
