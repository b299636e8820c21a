#include "core/align/rule_rewards.h"

#include "core/data/text_profile.h"

#include <unordered_set>

namespace strata::align {

namespace {

double correctness(const RewardInput& input, const RewardContext&) {
    if (input.answer.empty()) return 0.0;
    return trimmed(input.response) == trimmed(input.answer) ? 1.0 : 0.0;
}

double coherence(const RewardInput& input, const RewardContext&) {
    if (trimmed(input.response).empty()) return 0.0;
    return input.finished ? 1.0 : 0.5;
}

double diversity(const RewardInput& input, const RewardContext&) {
    data::TextProfile profile;
    profile.build(input.response);
    const std::vector<uint64_t>& words = profile.wordHashes();
    if (words.size() < 2) return 1.0;
    std::unordered_set<uint64_t> distinct(words.begin(), words.end());
    return double(distinct.size()) / double(words.size());
}

double safety(const RewardInput& input, const RewardContext& context) {
    if (context.blocklist.empty()) return 1.0;
    data::TextProfile profile;
    profile.build(input.response);
    return context.blocklist.countHits(profile, 1) > 0 ? 0.0 : 1.0;
}

}  // namespace

std::string_view trimmed(std::string_view text) {
    size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) return {};
    return text.substr(start, text.find_last_not_of(" \t\r\n") - start + 1);
}

const std::vector<RuleReward>& ruleRewards() {
    static const std::vector<RuleReward> rules = {{"correctness", correctness},
                                                  {"coherence", coherence},
                                                  {"diversity", diversity},
                                                  {"safety", safety}};
    return rules;
}

}  // namespace strata::align
