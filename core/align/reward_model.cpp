#include "core/align/reward_model.h"

#include "core/common/error.h"
#include "core/model/linear.h"
#include "core/model/model_folder.h"
#include "core/train/checkpoint.h"

#include <torch/torch.h>

#include <cmath>

namespace strata::align {

namespace fs = std::filesystem;

RewardHeadImpl::RewardHeadImpl(int64_t dModel) {
    score = register_module("score", torch::nn::Linear(dModel, 1));
    mean = register_buffer("mean", torch::zeros({}));
    std = register_buffer("std", torch::ones({}));
}

torch::Tensor RewardHeadImpl::forward(const torch::Tensor& hidden_BTD) {
    return score->forward(hidden_BTD.to(score->weight.scalar_type())).squeeze(-1);
}

torch::Tensor RewardHeadImpl::normalize(const torch::Tensor& raw) const {
    return (raw - mean) / std;
}

void RewardHeadImpl::setStatistics(const torch::Tensor& raw) {
    torch::NoGradGuard noGrad;
    mean.copy_(raw.mean());
    // One reward, or identical ones, leave no spread to divide by.
    std.copy_(raw.numel() > 1 ? raw.std().clamp_min(1e-6) : torch::ones({}));
}

torch::Tensor lastTokenRewards(model::Transformer& body, RewardHead& head,
                               const ResponseBatch& batch, torch::Tensor* routerLoss) {
    model::TransformerOutput out = body->forwardHidden(batch.tokens_BT);
    if (routerLoss) *routerLoss = out.routerLoss;
    torch::Tensor last_BD =
        out.hidden_BTD
            .gather(1, batch.lastIndex_B.view({-1, 1, 1}).expand({-1, 1, out.hidden_BTD.size(2)}))
            .squeeze(1);
    return head->forward(last_BD.unsqueeze(1)).squeeze(1);
}

RewardModel loadRewardModel(const fs::path& folder) {
    if (!fs::exists(folder / (std::string(kRewardHeadName) + ".safetensors")))
        common::fail(
            "{}: not a reward model ({}.safetensors is missing); train one with train.stage = "
            "\"reward\"",
            folder.string(), kRewardHeadName);
    model::LoadedModel loaded = model::loadModelFolder(folder);
    RewardModel reward{loaded.model, RewardHead(loaded.config.dModel)};
    train::loadExtraModule(folder, {kRewardHeadName, reward.head.ptr()});
    double mean = reward.head->mean.item<double>(), std = reward.head->std.item<double>();
    if (!std::isfinite(mean) || !std::isfinite(std) || std <= 0)
        common::fail("{}: {}.safetensors: the reward statistics (mean {}, std {}) are not usable",
                     folder.string(), kRewardHeadName, mean, std);
    return reward;
}

}  // namespace strata::align
