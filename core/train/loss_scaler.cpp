#include "core/train/loss_scaler.h"

#include <torch/torch.h>

namespace strata::train {

LossScaler::LossScaler(const run::LossScaleConfig& config)
    : m_config(config), m_scale(config.initialScale) {}

bool LossScaler::unscale(const std::vector<torch::Tensor>& parameters) const {
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> finite;
    for (const torch::Tensor& parameter : parameters) {
        torch::Tensor grad = parameter.grad();
        if (!grad.defined()) continue;
        grad.mul_(1.0 / m_scale);
        finite.push_back(torch::isfinite(grad).all());
    }
    // One host read for the whole model.
    return finite.empty() || torch::stack(finite).all().item<bool>();
}

void LossScaler::update(bool finite) {
    if (!finite) {
        m_scale *= m_config.backoffFactor;
        m_goodSteps = 0;
        ++m_skippedSteps;
        return;
    }
    if (++m_goodSteps >= m_config.growthInterval) {
        m_scale *= m_config.growthFactor;
        m_goodSteps = 0;
    }
}

void LossScaler::restore(double scale, int growthTracker, int64_t skippedSteps) {
    m_scale = scale;
    m_goodSteps = growthTracker;
    m_skippedSteps = skippedSteps;
}

}  // namespace strata::train
