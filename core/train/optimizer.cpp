#include "core/train/optimizer.h"

#include <ATen/ops/_fused_adamw.h>
#include <torch/torch.h>

namespace strata::train {

bool isDecayed(const std::string& name, const torch::Tensor& parameter) {
    return parameter.dim() >= 2 && name.find("embedding") == std::string::npos;
}

torch::Tensor FusedAdamW::step(LossClosure closure) {
    torch::NoGradGuard noGrad;
    torch::Tensor loss;
    if (closure) {
        torch::AutoGradMode enableGrad(true);
        loss = closure();
    }
    for (auto& group : param_groups()) {
        auto& options = static_cast<torch::optim::AdamWOptions&>(group.options());
        TORCH_CHECK(!options.amsgrad(), "FusedAdamW does not implement amsgrad");
        std::vector<torch::Tensor> params, grads, expAvgs, expAvgSqs, steps;
        for (auto& param : group.params()) {
            if (!param.grad().defined()) continue;
            auto& slot = state()[param.unsafeGetTensorImpl()];
            if (!slot) {
                auto fresh = std::make_unique<torch::optim::AdamWParamState>();
                fresh->exp_avg(torch::zeros_like(param, torch::MemoryFormat::Preserve));
                fresh->exp_avg_sq(torch::zeros_like(param, torch::MemoryFormat::Preserve));
                slot = std::move(fresh);
            }
            auto& adam = static_cast<torch::optim::AdamWParamState&>(*slot);
            adam.step(adam.step() + 1);
            params.push_back(param);
            grads.push_back(param.grad());
            expAvgs.push_back(adam.exp_avg());
            expAvgSqs.push_back(adam.exp_avg_sq());
            // The kernel reads the (already advanced) step for its bias corrections.
            steps.push_back(torch::full({}, double(adam.step()), param.options()));
        }
        if (params.empty()) continue;
        auto [beta1, beta2] = options.betas();
        at::_fused_adamw_(params, grads, expAvgs, expAvgSqs, {}, steps, options.lr(), beta1, beta2,
                          options.weight_decay(), options.eps(), /*amsgrad=*/false,
                          /*maximize=*/false);
    }
    return loss;
}

std::unique_ptr<torch::optim::AdamW> makeAdamW(torch::nn::Module& model,
                                               const run::OptimizerConfig& config) {
    std::vector<torch::Tensor> decayed, undecayed;
    for (const auto& item : model.named_parameters())
        if (item.value().requires_grad())
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
    return std::make_unique<FusedAdamW>(groups, torch::optim::AdamWOptions(config.lr));
}

}  // namespace strata::train
