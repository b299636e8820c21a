// One FP8 layer: an attention or feed-forward projection, or one stacked weight of the experts,
// with the scalings of its three operands. Its products are FP8 products accumulated in fp32
// (fp8_matmul.h):
//   forward   y = x · wᵀ           inputs and weights in E4M3
//   backward  dx = g · w,  dw = gᵀ · x    output gradients in fp8.grad_format
// The backward pass reuses the E4M3 inputs and weights the forward pass saved — a quarter of
// the memory of fp32 activations — re-tiled where the recipe's tiles must run along the other
// dimension (fp8_quantization.h). Master weights and their gradients stay fp32.
// N rows, I in, O out, E experts, A rows grouped by expert.
#pragma once

#include "core/train/fp8_quantization.h"
#include "core/train/fp8_scaling.h"

#include <optional>
#include <string>
#include <utility>

namespace strata::train {

class Fp8Layer {
public:
    // numMatrices: the experts of a stacked weight (each gets its own weight scales), else 1.
    Fp8Layer(std::string name, const run::Fp8Config& config, int64_t numMatrices,
             torch::Device device);

    const std::string& name() const { return m_name; }

    // x (..., I) times weight_OI transposed, differentiable in both.
    torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight_OI);
    // Rows grouped by expert (group e ends at ends_E[e]) times each expert's weight transposed.
    torch::Tensor groupedLinear(const torch::Tensor& rows_AI, const torch::Tensor& weight_EOI,
                                const torch::Tensor& ends_E);

    // The step's amax of inputs, weights and gradients, their smallest scales, then its
    // overflow and underflow counts: 8 fp32 values on the device. Read it before endStep().
    torch::Tensor stepStats() const;
    void endStep();

    // The three scalings, in the order stepStats() reports them (delayed-scaling state).
    std::vector<Fp8Scaling*> scalings() { return {&m_input, &m_weight, &m_grad}; }
    std::vector<const Fp8Scaling*> scalings() const { return {&m_input, &m_weight, &m_grad}; }

private:
    struct LinearFunction;
    struct GroupedFunction;

    // The output gradients g (R,O) quantized twice: tiled along O for dx = g · w, and
    // transposed, tiled along R, for dw = gᵀ · x.
    std::pair<Fp8Tensor, Fp8Tensor> quantizeGradients(const torch::Tensor& g_RO);
    // The weight quantized once per step: the optimizer changes weights only between steps, so
    // the first training product of a step quantizes (and records) it and the step's later
    // micro-batches reuse it. Keyed by the tensor itself (held, so that a freed temporary's
    // address cannot come back as a match) and its version, so a weight changed in place is
    // quantized again; a validation product never fills the cache.
    Fp8Tensor quantizedWeight(const torch::Tensor& weight, Fp8Counts* counts);

    struct StepWeight {
        torch::Tensor weight;
        int64_t version;
        Fp8Tensor quantized;
    };

    std::string m_name;
    Fp8Tile m_activationTile;  // inputs and gradients
    Fp8Tile m_weightTile;
    Fp8Scaling m_input;
    Fp8Scaling m_weight;
    Fp8Scaling m_grad;
    Fp8Counts m_counts;
    std::optional<StepWeight> m_stepWeight;
};

}  // namespace strata::train
