// Rotary position embeddings (Su et al., 2021) in the half-split layout of Llama and Mixtral
// checkpoints: dimension i of a head is paired with dimension i + Dh/2, and the pair is rotated
// by position * frequency_i. The frequencies are base^(-2i/Dh), or transformers' scaled ones
// (linear, Llama 3, YaRN: rotaryFrequencies). Cosines and sines are computed once per forward for
// the positions in use (rotation()), in float32 as transformers computes them, and serve its
// queries and keys; a 128k-token context costs no table.
// B batch, H heads, T time, Dh rotated head dim.
#pragma once

#include "core/model_spec/model_config.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace strata::model {

struct RotaryFrequencies {
    torch::Tensor inverse_Dh2;     // float32, one frequency per rotated pair
    double attentionFactor = 1.0;  // YaRN: cosines and sines are scaled by it
};

RotaryFrequencies rotaryFrequencies(int64_t headDim, double base,
                                    const model_spec::RopeScaling& scaling);

// YaRN's magnitude correction for a context stretched by `factor`: 0.1 * mscale * ln(factor) + 1.
double yarnMscale(double factor, double mscale);

// The rotation of some positions: float32, (T, Dh) for positions shared by the batch or
// (B, 1, T, Dh) for each row's own. A pair (i, i + Dh/2) turns into
// (x_i cos - x_{i+Dh/2} sin, x_{i+Dh/2} cos + x_i sin): sinSigned holds -sin in the first half.
struct Rotation {
    torch::Tensor cos, sinSigned;
};

// x_BHTDh rotated: x * cos + (x with its halves swapped) * sinSigned.
torch::Tensor rotate(const torch::Tensor& x_BHTDh, const Rotation& rotation);

class RotaryEmbeddingImpl : public torch::nn::Module {
public:
    RotaryEmbeddingImpl(int64_t headDim, double base, const model_spec::RopeScaling& scaling = {});

    // Positions offset .. offset + length - 1 (offset: tokens already in a cache).
    Rotation rotation(int64_t offset, int64_t length) const;
    // Each token's own position (packed or padded rows, sequence_layout.h).
    Rotation rotation(const torch::Tensor& positions_BT) const;

    // x_BHTDh rotated for positions offset .. offset + T - 1.
    torch::Tensor forward(const torch::Tensor& x_BHTDh, int64_t offset = 0);
    // x_BHTDh rotated for each token's own position.
    torch::Tensor forward(const torch::Tensor& x_BHTDh, const torch::Tensor& positions_BT);

private:
    Rotation rotationAt(const torch::Tensor& positions) const;

    int64_t m_headDim;
    double m_attentionFactor;
    torch::Tensor m_inverse_Dh2;  // a buffer, so it follows the module to its device
};
TORCH_MODULE(RotaryEmbedding);

}  // namespace strata::model
