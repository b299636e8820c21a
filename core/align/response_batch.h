// Prompts and responses as one right-padded batch, the shape DPO, the reward model, PPO and GRPO
// score: row b is prompt b then response b, and position t of the (B, T - 1) mask is 1 where
// token t + 1 is a response token (the logits at t predict it). Right padding needs no layout:
// causal attention never looks ahead to it. A row longer than maxLength keeps the end of its
// prompt and the start of its response.
// B rows, T tokens.
#pragma once

#include "core/model/transformer.h"

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace strata::align {

using TokenIds = std::vector<int64_t>;

struct ResponseBatch {
    torch::Tensor tokens_BT;
    torch::Tensor mask_BT1;     // float, (B, T - 1)
    torch::Tensor lastIndex_B;  // each row's last real token
    // Where the mask is 1, as (row, position) lists: known as the batch is built, so scoring the
    // responses needs no read of the device.
    torch::Tensor responseRow_R, responsePosition_R;
    int64_t responseTokens = 0;
    int64_t tokens = 0;  // every real token of every row
};

ResponseBatch makeResponseBatch(const std::vector<TokenIds>& prompts,
                                const std::vector<TokenIds>& responses, int64_t maxLength,
                                const torch::Device& device);

// log p(token t + 1 | tokens <= t) and the entropy of that distribution at every position of
// tokens_BT, from `model`'s final hidden states for them: (B, T - 1) each, in float32.
// `temperature` divides the logits first, as the sampling did. The positions go through the
// output projection in chunks (model::linearTokenLogProbs): the (B, T, V) logits never exist.
struct TokenScores {
    torch::Tensor logProbs_BT;
    torch::Tensor entropy_BT;
};
TokenScores tokenScores(model::Transformer& model, const torch::Tensor& hidden_BTD,
                        const torch::Tensor& tokens_BT, double temperature = 1.0);

// Each row's summed response log-probability under `model`: (B). Only the response positions go
// through the output projection, in chunks (model::linearTokenLogProbs).
torch::Tensor responseLogProbs(model::Transformer& model, const ResponseBatch& batch);

}  // namespace strata::align
