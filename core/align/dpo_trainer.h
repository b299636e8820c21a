// DPO (Rafailov et al., 2023) as a run: the policy from init.model learns preference pairs
// (data.train, as the reward model reads them) directly, against the frozen reference
// (init.reference, or init.model), with dpo.beta. Metrics, on the step's pairs and on the held-out
// ones: loss; chosen_reward and rejected_reward, the mean implicit rewards
// beta * (log pi - log ref) of each side; margin, their mean difference; and accuracy, the share
// of pairs whose chosen response has the higher implicit reward.
#pragma once

#include "core/align/preference_trainer.h"

namespace strata::align {

class DpoTrainer : public PreferenceTrainer {
public:
    DpoTrainer(run::RunConfig config, std::filesystem::path runDir, run::MetricsSink& sink,
               bool resume);

private:
    run::StepMetrics trainStep() override;
    run::EvalMetrics evaluate() override;

    // The pairs' mean loss and the sums of their measures.
    // A batch's loss (the mean over its pairs, with gradients) and its sums, kept on the device
    // and read once (report) when the step or evaluation is over.
    struct PairTotals {
        torch::Tensor loss;
        torch::Tensor sums_4;  // summed loss over pairs, chosen reward, rejected reward, correct
        int64_t pairs = 0, tokens = 0;
        void add(const PairTotals& other);
        // The mean loss over pairs, after adding each metric to `extra`.
        double report(std::vector<run::NamedValue>& extra) const;
    };
    PairTotals scorePairs(const PairBatch& pairs);
};

}  // namespace strata::align
