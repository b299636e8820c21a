// RMSNorm (Zhang & Sennrich, 2019): x / sqrt(mean(x^2) + eps) * weight. Computed in fp32 whatever
// the input's dtype, as bf16 autocast would lose the small mean, and returned in the input's
// dtype. On CUDA ATen's fused kernels run it (at::_fused_rms_norm); elsewhere a hand-written
// gradient. Shapes: (..., D) in, (..., D) out.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace strata::model {

class RmsNormImpl : public torch::nn::Module {
public:
    RmsNormImpl(int64_t dim, double eps);
    torch::Tensor forward(const torch::Tensor& x);

    torch::Tensor weight;  // (D), initialized to ones

private:
    double m_eps;
};
TORCH_MODULE(RmsNorm);

}  // namespace strata::model
