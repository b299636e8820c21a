// PPO's KL coefficient: fixed, or adaptive as in Ziegler et al. (2019), where after each step
//   error = clip(KL / target - 1, -0.2, 0.2),  coef <- coef * (1 + error * samples / horizon)
// with KL the mean over the step's responses of their summed per-token KL. The coefficient is a
// buffer so that checkpoints carry it and a resumed run continues with the same value.
#pragma once

#include <torch/nn/module.h>

#include <cstdint>

namespace strata::align {

class KlControllerImpl : public torch::nn::Module {
public:
    explicit KlControllerImpl(double initial);

    double value() const;
    void update(double kl, int64_t samples, double target, double horizon);

private:
    torch::Tensor m_coefficient;
};
TORCH_MODULE(KlController);

}  // namespace strata::align
