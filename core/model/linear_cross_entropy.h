// Cross-entropy of the output projection, fused: cross_entropy(hidden @ weight^T, targets)
// without the (N, V) logits ever existing whole. Rows go through in chunks; each chunk's logits
// become its softmax in place, and the gradients of hidden and weight are computed right there
// (the loss is a scalar, so backward only scales them). What this saves is the passes over
// N x V floats that a separate projection, log-softmax and their backward make, and the memory
// to keep the logits for backward: with a vocabulary of 151k and 2048 tokens a micro-batch, 1.2
// GB of float32 logits, and as much again for their gradient. Without grad mode it only computes
// the loss; a side that does not require grad (a frozen output head) gets no gradient buffer.
// Under autocast the products run in its type (bf16), with the weight cast once per call rather
// than once per chunk. `chunkRows` 0 takes rows for the device (chunkRowsFor).
// N rows, D model dim, V vocabulary.
#pragma once

#include <torch/types.h>

namespace strata::model {

// Rows a chunk takes by default: 512 on the CPU, where chunks that stay in cache are fastest;
// on a GPU as many as make 1 GiB of float32 logits, so that the weight gradient's read-modify-
// write of (V, D) floats per chunk stays small beside the chunk's products.
int64_t chunkRowsFor(const torch::Tensor& weight_VD);

// The mean over rows. hidden_ND and weight_VD of one floating dtype (or autocast's); targets_N
// int64 in [0, V).
torch::Tensor linearCrossEntropy(const torch::Tensor& hidden_ND, const torch::Tensor& weight_VD,
                                 const torch::Tensor& targets_N, int64_t chunkRows = 0);

// The weighted sum over rows, sum_n weights_N[n] * ce_n (SFT's assistant-token mask, DPO's
// response tokens); weights_N float, never differentiated.
torch::Tensor weightedLinearCrossEntropy(const torch::Tensor& hidden_ND,
                                         const torch::Tensor& weight_VD,
                                         const torch::Tensor& targets_N,
                                         const torch::Tensor& weights_N, int64_t chunkRows = 0);

// For every row, log softmax(hidden @ weight^T / temperature)[n, targets_N[n]] and the entropy
// of that distribution: (N) float32 each, with gradients, without the (N, V) logits existing
// whole. The loss functions above compute their gradients in the forward pass because their
// output is one number; here each row gets its own gradient, so the forward keeps only each
// row's log-sum-exp and entropy and the backward recomputes the logits chunk by chunk (one more
// pass of the projection). What DPO's response log-probabilities and PPO's and GRPO's policy
// scores use.
struct TokenLogProbs {
    torch::Tensor logProbs_N;
    torch::Tensor entropy_N;
};
TokenLogProbs linearTokenLogProbs(const torch::Tensor& hidden_ND, const torch::Tensor& weight_VD,
                                  const torch::Tensor& targets_N, double temperature = 1.0,
                                  int64_t chunkRows = 0);

}  // namespace strata::model
