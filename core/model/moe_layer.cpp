#include "core/model/moe_layer.h"

namespace strata::model {

MoeLayerImpl::MoeLayerImpl(const model_spec::ModelConfig& config) {
    int64_t hidden = config.resolvedExpertHiddenSize();
    router = register_module("router", MoeRouter(config.dModel, config.moe));
    experts =
        register_module("experts", MoeExperts(config.moe.numRoutedExperts, config.dModel, hidden));
    if (config.moe.numSharedExperts > 0)
        shared =
            register_module("shared", SwiGlu(config.dModel, config.moe.numSharedExperts * hidden));
}

MoeOutput MoeLayerImpl::forward(const torch::Tensor& x_BTD) {
    TORCH_CHECK(x_BTD.dim() == 3, "MoeLayer expects (B,T,D), got ", x_BTD.sizes());
    torch::Tensor x_ND = x_BTD.reshape({-1, x_BTD.size(2)});
    MoeOutput out;
    out.routing = router->forward(x_ND);
    torch::Tensor y_ND = experts->forward(x_ND, out.routing.topIdx_NK, out.routing.topWeight_NK);
    if (shared) y_ND = y_ND + shared->forward(x_ND);
    out.y_BTD = y_ND.view(x_BTD.sizes());
    return out;
}

}  // namespace strata::model
