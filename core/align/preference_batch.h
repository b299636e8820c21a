// Preference pairs as the reward model and DPO train on them: data.train's pairs with data.val or
// data.val_fraction held out (pairs with identical responses skipped and counted), and batches
// of pairs for one forward: the prompt as a user turn of the chat template, each response as the
// assistant's answer; rows 0 .. N - 1 are the chosen responses, rows N .. 2N - 1 the rejected.
#pragma once

#include "core/align/chat_template.h"
#include "core/align/held_out_split.h"
#include "core/align/preference_data.h"
#include "core/align/response_batch.h"
#include "core/train/run_config.h"

#include <vector>

namespace strata::align {

struct PreferenceSplit : Split<Preference> {
    int64_t identicalSkipped = 0;
};

PreferenceSplit readPreferenceSplit(const train::RunConfig& config);

// Pairs first .. first + count - 1 of `pairs`, cut at its end.
std::vector<const Preference*> pairsIn(const std::vector<Preference>& pairs, size_t first,
                                       size_t count);

ResponseBatch preferenceBatch(const std::vector<const Preference*>& pairs, const ChatTemplate& chat,
                              int64_t maxLength, const torch::Device& device);

}  // namespace strata::align
