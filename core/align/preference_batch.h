// Preference pairs as one batch for the reward model and DPO: the prompt as a user turn of the
// chat template, each response as the assistant's answer; rows 0 .. N - 1 are the chosen
// responses and rows N .. 2N - 1 the rejected ones, so one forward scores both.
#pragma once

#include "core/align/response_batch.h"
#include "core/data/preference_data.h"
#include "core/tokenizer/chat_template.h"

#include <vector>

namespace strata::align {

ResponseBatch preferenceBatch(const std::vector<const data::Preference*>& pairs,
                              const tokenizer::ChatTemplate& chat, int64_t maxLength,
                              const torch::Device& device);

}  // namespace strata::align
