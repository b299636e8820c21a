#include "core/model/rms_norm.h"

namespace strata::model {

RmsNormImpl::RmsNormImpl(int64_t dim, double eps) : m_eps(eps) {
    weight = register_parameter("weight", torch::ones({dim}));
}

torch::Tensor RmsNormImpl::forward(const torch::Tensor& x) {
    TORCH_CHECK(x.size(-1) == weight.size(0), "RmsNorm expects (..., ", weight.size(0), "), got ",
                x.sizes());
    torch::Tensor x32 = x.to(torch::kFloat32);
    torch::Tensor normalized = x32 * torch::rsqrt(x32.pow(2).mean(-1, /*keepdim=*/true) + m_eps);
    return (normalized * weight.to(torch::kFloat32)).to(x.scalar_type());
}

}  // namespace strata::model
