#include "core/model/moe_experts.h"

#include <cmath>

namespace strata::model {

MoeExpertsImpl::MoeExpertsImpl(int64_t numExperts, int64_t dModel, int64_t hidden) {
    // Each expert starts like a Linear layer: uniform in +-1/sqrt(fan_in).
    auto init = [](std::vector<int64_t> shape, int64_t fanIn) {
        double bound = 1.0 / std::sqrt(double(fanIn));
        return torch::empty(shape).uniform_(-bound, bound);
    };
    gate_EFD = register_parameter("gate", init({numExperts, hidden, dModel}, dModel));
    up_EFD = register_parameter("up", init({numExperts, hidden, dModel}, dModel));
    down_EDF = register_parameter("down", init({numExperts, dModel, hidden}, hidden));
}

MoeExpertsImpl::ExpertViews MoeExpertsImpl::expertViews() const {
    return {gate_EFD.unbind(0), up_EFD.unbind(0), down_EDF.unbind(0)};
}

torch::Tensor MoeExpertsImpl::expert(const ExpertViews& views, int64_t e,
                                     const torch::Tensor& x_MD) {
    torch::Tensor hidden_MF = torch::silu(torch::matmul(x_MD, views.gate_FD[e].t())) *
                              torch::matmul(x_MD, views.up_FD[e].t());
    return torch::matmul(hidden_MF, views.down_DF[e].t());
}

torch::Tensor MoeExpertsImpl::forward(const torch::Tensor& x_ND, const torch::Tensor& topIdx_NK,
                                      const torch::Tensor& topWeight_NK) {
    TORCH_CHECK(x_ND.dim() == 2 && topIdx_NK.dim() == 2 &&
                    topIdx_NK.sizes() == topWeight_NK.sizes() && topIdx_NK.size(0) == x_ND.size(0),
                "MoeExperts expects (N,D), (N,K), (N,K); got ", x_ND.sizes(), ", ",
                topIdx_NK.sizes(), ", ", topWeight_NK.sizes());
    int64_t topK = topIdx_NK.size(1);
    // Route: assignments sorted by expert; each row of the permuted input is one assignment.
    torch::Tensor expert_A = topIdx_NK.reshape({-1});
    torch::Tensor order_A = torch::argsort(expert_A, /*stable=*/true);
    torch::Tensor token_A = torch::div(order_A, topK, "floor");
    torch::Tensor input_AD = x_ND.index_select(0, token_A);
    torch::Tensor counts_E = torch::bincount(expert_A, {}, gate_EFD.size(0)).cpu();
    auto counts = counts_E.accessor<int64_t, 1>();
    // Experts: one matrix product each over its contiguous rows.
    ExpertViews views = expertViews();
    std::vector<torch::Tensor> outputs;
    int64_t start = 0;
    for (int64_t e = 0; e < counts_E.size(0); ++e) {
        if (counts[e] == 0) continue;
        outputs.push_back(expert(views, e, input_AD.narrow(0, start, counts[e])));
        start += counts[e];
    }
    if (outputs.empty()) return torch::zeros_like(x_ND);
    torch::Tensor output_AD = torch::cat(outputs, 0);
    // Combine: weight each assignment and add it back to its token.
    torch::Tensor weight_A = topWeight_NK.reshape({-1}).index_select(0, order_A).unsqueeze(1);
    return torch::zeros_like(x_ND).index_add_(0, token_A,
                                              (output_AD * weight_A).to(x_ND.scalar_type()));
}

torch::Tensor MoeExpertsImpl::forwardDense(const torch::Tensor& x_ND,
                                           const torch::Tensor& topIdx_NK,
                                           const torch::Tensor& topWeight_NK) {
    ExpertViews views = expertViews();
    torch::Tensor out_ND = torch::zeros_like(x_ND);
    for (int64_t e = 0; e < gate_EFD.size(0); ++e) {
        torch::Tensor weight_N = (topWeight_NK * (topIdx_NK == e)).sum(-1, /*keepdim=*/true);
        out_ND += expert(views, e, x_ND) * weight_N;
    }
    return out_ND;
}

}  // namespace strata::model
