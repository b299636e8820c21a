#include "core/train/optimizer.h"

namespace strata::train {

bool isDecayed(const std::string& name, const torch::Tensor& parameter) {
    return parameter.dim() >= 2 && name.find("embedding") == std::string::npos;
}

std::unique_ptr<torch::optim::AdamW> makeAdamW(torch::nn::Module& model,
                                               const OptimizerConfig& config) {
    std::vector<torch::Tensor> decayed, undecayed;
    for (const auto& item : model.named_parameters())
        (isDecayed(item.key(), item.value()) ? decayed : undecayed).push_back(item.value());
    auto options = [&](double weightDecay) {
        return std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(config.lr)
                                                                .betas({config.beta1, config.beta2})
                                                                .eps(config.eps)
                                                                .weight_decay(weightDecay));
    };
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decayed, options(config.weightDecay));
    groups.emplace_back(undecayed, options(0.0));
    return std::make_unique<torch::optim::AdamW>(groups, torch::optim::AdamWOptions(config.lr));
}

}  // namespace strata::train
