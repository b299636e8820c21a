// The log-probability a model gives each token after the ones before it: what `strata-cli
// logprobs` prints and the family parity tests compare with transformers. The output projection
// and the softmax run over a few positions at a time, so (tokens x vocabulary) logits never exist
// at once for a long text and a 150k vocabulary.
// B batch, T time.
#pragma once

#include "core/model/transformer.h"

namespace strata::model {

// (B, T - 1) float32: entry t is log p(tokens[t + 1] | tokens[0..t]). Runs without gradients.
torch::Tensor nextTokenLogProbs(Transformer& model, const torch::Tensor& tokens_BT);

}  // namespace strata::model
