// Text generation with the KV cache, one prompt or a batch of them at once (left-padded,
// sequence_layout.h), and log-probabilities of given continuations (what DPO, PPO and GRPO score
// responses with). Sampling applies, in order: repetition penalty (as in CTRL: a seen token's
// positive logit divided by it, a negative one multiplied), temperature (0 means greedy), top-k,
// then top-p (the smallest set of most likely tokens whose probability reaches p), to all rows
// of a batch in one set of tensor operations. Deterministic for a seed.
// B batch, T time, V vocabulary.
#pragma once

#include "core/model/transformer.h"
#include "core/model_spec/sampling_options.h"

#include <ATen/core/Generator.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace strata::model {

// Picks each row's next token from logits_BV; seen_BV marks the tokens each row has seen (for
// the repetition penalty). Sampling happens on the logits' device, with a generator of that device.
torch::Tensor sampleTokens(const torch::Tensor& logits_BV, const torch::Tensor& seen_BV,
                           const model_spec::SamplingOptions& options, at::Generator& generator);

// Picks the next token from logits_V given the tokens so far.
int64_t sampleToken(const torch::Tensor& logits_V, const std::vector<int64_t>& previous,
                    const model_spec::SamplingOptions& options, at::Generator& generator);

// Continues `prompt`; onToken sees each new token as it is produced and may return false to stop.
// Returns the new tokens (a stop token included). Stops at model.context_length as well.
std::vector<int64_t> generate(Transformer& model, const std::vector<int64_t>& prompt,
                              const model_spec::SamplingOptions& options,
                              const std::function<bool(int64_t)>& onToken = {});

// Continues every prompt at once with one KV cache; each row stops on its own (stop token,
// maxNewTokens) and the batch at the context length, which counts the padding of the longest
// prompt. Returns each row's new tokens (a stop token included).
std::vector<std::vector<int64_t>> generateBatch(Transformer& model,
                                                const std::vector<std::vector<int64_t>>& prompts,
                                                const model_spec::SamplingOptions& options);

// For each pair, the summed log-probability of `continuation` following `prompt`, computed in
// one padded batch; shape (N).
torch::Tensor continuationLogProbs(Transformer& model,
                                   const std::vector<std::vector<int64_t>>& prompts,
                                   const std::vector<std::vector<int64_t>>& continuations);

}  // namespace strata::model
