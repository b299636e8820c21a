#include "core/model/swiglu.h"

namespace strata::model {

SwiGluImpl::SwiGluImpl(int64_t dModel, int64_t hidden) {
    gate = register_module("gate",
                           torch::nn::Linear(torch::nn::LinearOptions(dModel, hidden).bias(false)));
    up = register_module("up",
                         torch::nn::Linear(torch::nn::LinearOptions(dModel, hidden).bias(false)));
    down = register_module("down",
                           torch::nn::Linear(torch::nn::LinearOptions(hidden, dModel).bias(false)));
}

torch::Tensor SwiGluImpl::forward(const torch::Tensor& x) {
    return down->forward(torch::silu(gate->forward(x)) * up->forward(x));
}

}  // namespace strata::model
