#include "core/align/preference_batch.h"

namespace strata::align {

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
