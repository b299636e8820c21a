// Responses sampled from the policy for PPO and GRPO, and exact match on a task set: prompts go
// through the chat template as a user turn, each is answered `samples` times in one batched
// generation (the KV cache, left-padded rows), and a response ends at <|eos|>, which stays in its
// tokens (the policy learns to stop) but not in its text.
#pragma once

#include "core/align/response_batch.h"
#include "core/data/rule_rewards.h"
#include "core/data/task_set.h"
#include "core/model/transformer.h"
#include "core/run/metrics_sink.h"
#include "core/run/stage_config.h"
#include "core/tokenizer/chat_template.h"

#include <filesystem>
#include <string>
#include <vector>

namespace strata::align {

struct Rollouts {
    std::vector<TokenIds> prompts;  // one per response: each prompt `samples` times in a row
    std::vector<TokenIds> responses;
    std::vector<std::string> texts;
    std::vector<bool> finished;  // ended with <|eos|>
    std::vector<const data::TaskExample*> tasks;
};

Rollouts sampleRollouts(model::Transformer& policy, const tokenizer::ChatTemplate& chat,
                        const tokenizer::Tokenizer& tokenizer,
                        const std::vector<const data::TaskExample*>& tasks, int samples,
                        int maxNewTokens, double temperature, uint64_t seed);

// Each response's reward: the weighted rules (and the reward model's weighted score, which the
// trainer adds), with each part's value kept for the metrics.
struct RewardBreakdown {
    std::vector<double> total;
    std::vector<std::vector<double>> parts;  // [rule][response]
    std::vector<double> model;               // the normalized reward-model score; empty if unused
};

RewardBreakdown scoreRollouts(const Rollouts& rollouts, const run::RewardWeights& weights,
                              const data::RewardContext& context);

// The first `count` rollouts as the rollout inspector records them: the prompt as the chat
// template rendered it, response and reference, the reward with each weighted part, GRPO's
// advantage (`advantages`, empty for PPO) and every response token with its KL to the reference
// (`kl_BT1`, laid out as `batch`; undefined without a reference). A response cut to fit the batch
// lists the tokens it kept.
run::InspectedRollouts inspectRollouts(const Rollouts& rollouts, const RewardBreakdown& rewards,
                                       const run::RewardWeights& weights,
                                       const tokenizer::Tokenizer& tokenizer,
                                       const ResponseBatch& batch, const torch::Tensor& kl_BT1,
                                       const std::vector<double>& advantages, size_t count);

// Throws common::Error naming `source` and the prompt when a task's prompt, through the chat
// template, leaves fewer than `maxNewTokens` (the value of `setting`) of `contextLength` for its
// answer: it would be answered empty or cut off, never right.
void checkPromptsFit(const tokenizer::ChatTemplate& chat,
                     const std::vector<data::TaskExample>& tasks, int64_t contextLength,
                     int maxNewTokens, const std::filesystem::path& source,
                     const std::string& setting);

// The policy's greedy answer to each task, `batchSize` tasks a generation.
std::vector<std::string> greedyAnswers(model::Transformer& policy,
                                       const tokenizer::ChatTemplate& chat,
                                       const tokenizer::Tokenizer& tokenizer,
                                       const std::vector<data::TaskExample>& tasks,
                                       int maxNewTokens, int batchSize);

// The share of tasks the greedy answer matches exactly, over `tasks`.
double exactMatch(model::Transformer& policy, const tokenizer::ChatTemplate& chat,
                  const tokenizer::Tokenizer& tokenizer,
                  const std::vector<data::TaskExample>& tasks, int maxNewTokens, int batchSize);

}  // namespace strata::align
