#include "core/model/swiglu.h"

#include "core/model/linear.h"
#include "core/model/matmul_override.h"

namespace strata::model {

SwiGluImpl::SwiGluImpl(int64_t dModel, int64_t hidden) {
    gate = register_module("gate", linearNoBias(dModel, hidden));
    up = register_module("up", linearNoBias(dModel, hidden));
    down = register_module("down", linearNoBias(hidden, dModel));
}

torch::Tensor SwiGluImpl::forward(const torch::Tensor& x) {
    return project(down, torch::silu(project(gate, x)) * project(up, x));
}

}  // namespace strata::model
