#include "core/align/preference_batch.h"

namespace strata::align {

ResponseBatch preferenceBatch(const std::vector<const data::Preference*>& pairs,
                              const tokenizer::ChatTemplate& chat, int64_t maxLength,
                              const torch::Device& device) {
    std::vector<TokenIds> prompts, responses;
    for (bool chosen : {true, false})
        for (const data::Preference* pair : pairs) {
            std::vector<tokenizer::TokenId> prompt =
                chat.encodePrompt({{tokenizer::Role::User, pair->prompt}});
            std::vector<tokenizer::TokenId> response =
                chat.encodeAnswer(chosen ? pair->chosen : pair->rejected);
            prompts.emplace_back(prompt.begin(), prompt.end());
            responses.emplace_back(response.begin(), response.end());
        }
    return makeResponseBatch(prompts, responses, maxLength, device);
}

}  // namespace strata::align
