#include "core/align/pair_scoring.h"

#include "core/align/preference_batch.h"
#include "core/align/reward_model.h"
#include "core/common/error.h"
#include "core/model/model_folder.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer_json.h"

#include <torch/torch.h>

#include <algorithm>

namespace strata::align {

std::vector<double> rewardMargins(const std::filesystem::path& rewardModel,
                                  const std::vector<data::Preference>& pairs, int batchSize,
                                  const std::function<void(size_t done)>& onBatch) {
    RewardModel reward = loadRewardModel(rewardModel);
    const std::filesystem::path tokenizerPath = rewardModel / model::kTokenizerFile;
    tokenizer::Tokenizer tokenizer = tokenizer::loadTokenizer(tokenizerPath);
    tokenizer::ChatTemplate chat = tokenizer::modelChatTemplate(rewardModel, tokenizer);
    const torch::Device device = torch::cuda::is_available() ? torch::kCUDA : torch::kCPU;
    reward.body->to(device);
    reward.head->to(device);
    reward.body->eval();
    reward.head->eval();
    torch::NoGradGuard noGrad;
    std::vector<double> margins;
    margins.reserve(pairs.size());
    const size_t step = size_t(std::max(batchSize, 1));
    for (size_t first = 0; first < pairs.size(); first += step) {
        std::vector<const data::Preference*> batch;
        for (size_t i = first; i < std::min(pairs.size(), first + step); ++i)
            batch.push_back(&pairs[i]);
        // Rows 0 .. N - 1 hold the A responses, N .. 2N - 1 the B ones.
        torch::Tensor rewards =
            lastTokenRewards(
                reward.body, reward.head,
                preferenceBatch(batch, chat, reward.body->config().contextLength, device))
                .to(torch::kCPU, torch::kFloat64)
                .view({2, int64_t(batch.size())});
        torch::Tensor margin = (rewards[0] - rewards[1]).contiguous();
        margins.insert(margins.end(), margin.data_ptr<double>(),
                       margin.data_ptr<double>() + margin.numel());
        if (onBatch) onBatch(margins.size());
    }
    return margins;
}

}  // namespace strata::align
