#include "core/align/kl_controller.h"

#include <torch/torch.h>

#include <algorithm>

namespace strata::align {

KlControllerImpl::KlControllerImpl(double initial) {
    m_coefficient = register_buffer("coefficient", torch::tensor(initial, torch::kFloat64));
}

double KlControllerImpl::value() const {
    return m_coefficient.item<double>();
}

void KlControllerImpl::update(double kl, int64_t samples, double target, double horizon) {
    double error = std::clamp(kl / target - 1.0, -0.2, 0.2);
    m_coefficient.fill_(value() * (1.0 + error * double(samples) / horizon));
}

}  // namespace strata::align
