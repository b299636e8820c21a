// What the reward model and DPO share: data.train's preference pairs with data.val or
// data.val_fraction held out (pairs with identical responses skipped, and said so once the run
// starts), the seeded order a step's pairs follow, the batches of a validation pass, and the
// snapshot of the pairs a run keeps in its folder: preference labels change as annotators go on,
// and the run must say which it learned from.
#pragma once

#include "core/align/alignment_trainer.h"
#include "core/align/epoch_order.h"
#include "core/data/preference_data.h"

#include <vector>

namespace strata::align {

using PairBatch = std::vector<const data::Preference*>;

inline constexpr const char* kPreferencesSnapshot = "preferences.jsonl";
inline constexpr const char* kValPreferencesSnapshot = "preferences_val.jsonl";

class PreferenceTrainer : public AlignmentTrainer {
protected:
    PreferenceTrainer(run::RunConfig config, std::filesystem::path runDir, run::MetricsSink& sink);

    // Copies data.train (and data.val) into the run folder as preferences.jsonl (and
    // preferences_val.jsonl); a new run calls it after prepare().
    void snapshotPairs() const;
    // Micro-batch `micro` of the step about to run: train.micro_batch_size pairs.
    PairBatch stepPairs(int micro) const;
    // The first eval_batches * micro_batch_size of `pairs`, in batches of micro_batch_size.
    std::vector<PairBatch> leadingBatches(const std::vector<data::Preference>& pairs) const;

    std::vector<data::Preference> m_train;
    std::vector<data::Preference> m_val;

private:
    EpochOrder m_order{0, false, 0};
};

}  // namespace strata::align
