// The SwiGLU feed-forward block (Shazeer, 2020): down(silu(gate(x)) * up(x)), no biases. The dense
// block of the leading layers and the shared experts of the MoE layers. Gate and up run as one
// product (packed_projections.h).
// Shapes: (..., D) in, (..., D) out; the hidden size F is the block's own.
#pragma once

#include "core/model/packed_projections.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace strata::model {

class SwiGluImpl : public PackingModule {
public:
    SwiGluImpl(int64_t dModel, int64_t hidden);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::Linear gate{nullptr};  // D -> F
    torch::nn::Linear up{nullptr};    // D -> F
    torch::nn::Linear down{nullptr};  // F -> D

private:
    const PackedProjections* m_gateUp = nullptr;
};
TORCH_MODULE(SwiGlu);

}  // namespace strata::model
