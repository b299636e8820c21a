#include "core/data/rule_rewards.h"

#include "core/cleaning/text_profile.h"

#include <algorithm>
#include <unordered_set>

namespace strata::data {

namespace {

std::string_view trimmed(std::string_view text) {
    size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) return {};
    return text.substr(start, text.find_last_not_of(" \t\r\n") - start + 1);
}

double correctness(const RewardInput& input, const RewardContext&) {
    return matchesAnswer(input.response, input.answer) ? 1.0 : 0.0;
}

double coherence(const RewardInput& input, const RewardContext&) {
    if (trimmed(input.response).empty()) return 0.0;
    return input.finished ? 1.0 : 0.5;
}

double diversity(const RewardInput& input, const RewardContext&) {
    cleaning::TextProfile profile;
    profile.build(input.response);
    const std::vector<uint64_t>& words = profile.wordHashes();
    if (words.size() < 2) return 1.0;
    std::unordered_set<uint64_t> distinct(words.begin(), words.end());
    return double(distinct.size()) / double(words.size());
}

double safety(const RewardInput& input, const RewardContext& context) {
    if (context.blocklist.empty()) return 1.0;
    cleaning::TextProfile profile;
    profile.build(input.response);
    return context.blocklist.countHits(profile, 1) > 0 ? 0.0 : 1.0;
}

double similarity(const RewardInput& input, const RewardContext&) {
    std::string_view response = trimmed(input.response), answer = trimmed(input.answer);
    if (answer.empty()) return 0.0;
    size_t same = 0;
    for (size_t i = 0; i < std::min(response.size(), answer.size()); ++i)
        same += response[i] == answer[i] ? 1 : 0;
    return double(same) / double(std::max(response.size(), answer.size()));
}

}  // namespace

bool matchesAnswer(std::string_view response, std::string_view answer) {
    return !answer.empty() && trimmed(response) == trimmed(answer);
}

const std::vector<RuleReward>& ruleRewards() {
    static const std::vector<RuleReward> rules = {
        {"correctness", "Exact match with the task's reference answer.", correctness},
        {"coherence", "Format and length: 1 finished, 0.5 cut off at max_new_tokens, 0 empty.",
         coherence},
        {"diversity", "Repetition: the share of distinct words.", diversity},
        {"safety", "Blocklist: 0 when the response holds a word of rewards.blocklist.", safety},
        {"similarity",
         "Partial credit: the share of the reference's characters the response has in place.",
         similarity}};
    return rules;
}

}  // namespace strata::data
