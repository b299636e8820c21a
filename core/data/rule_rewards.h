// Rule-based rewards for PPO and GRPO: functions of one response, each in [0, 1], combined with
// the weights of the run config's [rewards] table (which may add the reward model's score). The
// built-in rules, and the config key each is weighted by:
//   correctness  exact match: 1 when the response, trimmed, equals the reference answer
//   coherence    format and length: 1 for a finished, non-empty response within the length
//                limit, 0.5 for one cut off at the limit, 0 for an empty one
//   diversity    repetition: the share of distinct words among the response's words (1 when it
//                has fewer than two)
//   safety       blocklist: 0 when the response holds a blocked word, else 1
//   similarity   partial credit: the share of the reference answer's characters the trimmed
//                response has at the same place, over the longer of the two (0 without a
//                reference); a denser signal than exact match for a model that is rarely right
// A new rule is one more entry in ruleRewards() (rule_rewards.cpp); its weight key follows.
#pragma once

#include "core/cleaning/word_blocklist.h"

#include <string>
#include <string_view>
#include <vector>

namespace strata::data {

struct RewardInput {
    std::string_view prompt;
    std::string_view response;
    std::string_view answer;  // the reference answer; empty when the task has none
    bool finished = true;     // the response ended with the end-of-turn token
};

struct RewardContext {
    cleaning::WordBlocklist blocklist;
};

struct RuleReward {
    const char* name;         // the [rewards] key
    const char* description;  // its comment in the run config
    double (*score)(const RewardInput& input, const RewardContext& context);
};

const std::vector<RuleReward>& ruleRewards();

// Exact match, the correctness rule: the response without surrounding whitespace is the reference
// answer without it; never for a task without a reference.
bool matchesAnswer(std::string_view response, std::string_view answer);

}  // namespace strata::data
