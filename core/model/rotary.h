// Rotary position embeddings (Su et al., 2021) in the half-split layout of Llama and Mixtral
// checkpoints: dimension i of a head is paired with dimension i + Dh/2, and the pair is rotated
// by position * base^(-2i/Dh). The cosines and sines of every position up to maxLength are
// computed once, as buffers that follow the module to its device.
// B batch, H heads, T time, Dh rotated head dim.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace strata::model {

class RotaryEmbeddingImpl : public torch::nn::Module {
public:
    RotaryEmbeddingImpl(int64_t headDim, int64_t maxLength, double base);

    // x_BHTDh rotated for positions offset .. offset + T - 1 (offset: tokens already in a cache).
    torch::Tensor forward(const torch::Tensor& x_BHTDh, int64_t offset = 0);
    // x_BHTDh rotated for each token's own position (packed or padded rows, sequence_layout.h).
    torch::Tensor forward(const torch::Tensor& x_BHTDh, const torch::Tensor& positions_BT);

private:
    torch::Tensor rotate(const torch::Tensor& x_BHTDh, const torch::Tensor& cos,
                         const torch::Tensor& sin) const;

    int64_t m_headDim;
    torch::Tensor m_cos_TDh;  // (maxLength, Dh): each frequency twice, for the two halves
    torch::Tensor m_sin_TDh;
};
TORCH_MODULE(RotaryEmbedding);

}  // namespace strata::model
