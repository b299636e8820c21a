// A reward model's margin on preference pairs, for labels where they help most: r(A) - r(B), each
// response scored as the reward model was trained to score it (the prompt a user turn of the chat
// template, the response the assistant's answer, the head on its last token). The labeling queue
// hands out the pairs with the smallest |margin| first: the ones the reward model is least sure
// about, where a label changes it most.
#pragma once

#include "core/data/preference_data.h"

#include <filesystem>
#include <functional>
#include <vector>

namespace strata::align {

// One margin per pair (`chosen` is response A, `rejected` response B), `batchSize` pairs a
// forward pass (on the GPU when there is one), in the reward model's raw units. `onBatch` hears how
// many pairs are done.
std::vector<double> rewardMargins(const std::filesystem::path& rewardModel,
                                  const std::vector<data::Preference>& pairs, int batchSize,
                                  const std::function<void(size_t done)>& onBatch = {});

}  // namespace strata::align
