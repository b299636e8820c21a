// The type autocast computes a product in, for the hand-written products whose inputs must be cast
// once by the caller (fused cross-entropy, packed projections) rather than by each operator.
#pragma once

#include <ATen/autocast_mode.h>
#include <torch/types.h>

namespace strata::model {

// `t` in the type autocast would compute its products in on t's device; t itself when autocast is
// off there.
inline torch::Tensor inAutocastType(const torch::Tensor& t) {
    const c10::DeviceType device = t.device().type();
    if (!at::autocast::is_autocast_enabled(device)) return t;
    return t.to(at::autocast::get_autocast_dtype(device));
}

}  // namespace strata::model
