#include "core/model/swiglu.h"

#include "core/model/linear.h"
#include "core/model/matmul_override.h"

namespace strata::model {

SwiGluImpl::SwiGluImpl(int64_t dModel, int64_t hidden) {
    gate = register_module("gate", linearNoBias(dModel, hidden));
    up = register_module("up", linearNoBias(dModel, hidden));
    down = register_module("down", linearNoBias(hidden, dModel));
    m_gateUp = &packTogether({gate, up});
}

torch::Tensor SwiGluImpl::forward(const torch::Tensor& x) {
    std::vector<torch::Tensor> gateUp = m_gateUp->forward(x);
    return project(down, torch::silu(gateUp[0]) * gateUp[1]);
}

}  // namespace strata::model
