#include "core/model/rms_norm.h"

#include <ATen/ops/_fused_rms_norm.h>
#include <torch/autograd.h>

namespace strata::model {

namespace {

// RMSNorm with its gradient written out: autograd through the formula's six operators costs
// about twice as many passes over the activations, and a small model runs a dozen norms a step.
// With r = rsqrt(mean(x^2) + eps) and g = dy * w:
//   dx = r * (g - x * r^2 * mean(g * x)),  dw = sum over rows of dy * x * r.
class RmsNormFunction : public torch::autograd::Function<RmsNormFunction> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& weight, double eps) {
        torch::Tensor x32 = x.to(torch::kFloat32);
        torch::Tensor rstd = torch::rsqrt(x32.square().mean(-1, /*keepdim=*/true) + eps);
        ctx->save_for_backward({x, weight, rstd});
        return (x32 * rstd * weight.to(torch::kFloat32)).to(x.scalar_type());
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list grads) {
        torch::autograd::variable_list saved = ctx->get_saved_variables();
        const torch::Tensor &x = saved[0], &weight = saved[1], &rstd = saved[2];
        torch::Tensor x32 = x.to(torch::kFloat32), dy = grads[0].to(torch::kFloat32);
        torch::Tensor normalized = x32 * rstd;
        torch::Tensor g = dy * weight.to(torch::kFloat32);
        torch::Tensor dx = rstd * (g - normalized * (g * normalized).mean(-1, /*keepdim=*/true));
        torch::Tensor dw = (dy * normalized).reshape({-1, x.size(-1)}).sum(0);
        return {dx.to(x.scalar_type()), dw.to(weight.scalar_type()), torch::Tensor()};
    }
};

}  // namespace

RmsNormImpl::RmsNormImpl(int64_t dim, double eps) : m_eps(eps) {
    weight = register_parameter("weight", torch::ones({dim}));
}

torch::Tensor RmsNormImpl::forward(const torch::Tensor& x) {
    TORCH_CHECK(x.size(-1) == weight.size(0), "RmsNorm expects (..., ", weight.size(0), "), got ",
                x.sizes());
    // CUDA has ATen's fused kernels (one pass each way); it takes a weight of x's own type.
    if (x.is_cuda() && x.scalar_type() == weight.scalar_type())
        return std::get<0>(at::_fused_rms_norm(x, {weight.size(0)}, weight, m_eps));
    return RmsNormFunction::apply(x, weight, m_eps);
}

}  // namespace strata::model
