#include "core/align/preference_batch.h"

#include "core/common/error.h"

#include <algorithm>

namespace strata::align {

PreferenceSplit readPreferenceSplit(const train::RunConfig& config) {
    PreferenceData train = readPreferences(config.data.train);
    PreferenceData val;
    if (!config.data.val.empty()) val = readPreferences(config.data.val);
    PreferenceSplit split;
    static_cast<Split<Preference>&>(split) = splitHeldOut(
        std::move(train.pairs), std::move(val.pairs), config.data.valFraction,
        config.train.evalEvery > 0, config.train.seed, config.data.train, "preference pairs");
    split.identicalSkipped = train.identicalSkipped + val.identicalSkipped;
    if (split.train.empty())
        common::fail("{}: no preference pair to train on", config.data.train.string());
    return split;
}

std::vector<const Preference*> pairsIn(const std::vector<Preference>& pairs, size_t first,
                                       size_t count) {
    std::vector<const Preference*> slice;
    for (size_t i = first; i < std::min(pairs.size(), first + count); ++i)
        slice.push_back(&pairs[i]);
    return slice;
}

ResponseBatch preferenceBatch(const std::vector<const Preference*>& pairs, const ChatTemplate& chat,
                              int64_t maxLength, const torch::Device& device) {
    std::vector<TokenIds> prompts, responses;
    for (bool chosen : {true, false})
        for (const Preference* pair : pairs) {
            std::vector<tokenizer::TokenId> prompt =
                chat.encodePrompt({{Role::User, pair->prompt}});
            std::vector<tokenizer::TokenId> response =
                chat.encodeAnswer(chosen ? pair->chosen : pair->rejected);
            prompts.emplace_back(prompt.begin(), prompt.end());
            responses.emplace_back(response.begin(), response.end());
        }
    return makeResponseBatch(prompts, responses, maxLength, device);
}

}  // namespace strata::align
