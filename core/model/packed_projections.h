// Projections of one input that run as one matrix product: attention's queries, keys and values,
// SwiGLU's gate and up, MLA's two down-projections. Each keeps its own Linear, so checkpoint, HF
// and GGUF names, LoRA targets and FP8 layers see the separate matrices; pack() lays their
// weights (and biases) back to back in one buffer, each becoming a view of it, and forward()
// multiplies by the whole buffer once. One product instead of three is one GEMM launch on a GPU and
// one pass over the input instead of three in decoding.
//
// The plain per-layer products (project(), matmul_override.h) remain the reference and the path
// taken while an override (LoRA, FP8) is installed or the weights are no longer packed (a module
// moved by hand); the owning module packs again after Module::to. O_i each layer's outputs.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

#include <deque>
#include <vector>

namespace strata::model {

class PackedProjections {
public:
    PackedProjections() = default;
    // Packs the layers, which share their input size, dtype and device.
    explicit PackedProjections(std::vector<torch::nn::Linear> layers);

    // Lays the weights out in one buffer again, unless they already are.
    void pack();
    bool packed() const;

    // (..., I) -> one (..., O_i) per layer, in order.
    std::vector<torch::Tensor> forward(const torch::Tensor& x) const;

private:
    std::vector<torch::Tensor> weights() const;
    std::vector<torch::Tensor> biases() const;  // empty for layers without one

    std::vector<torch::nn::Linear> m_layers;
    std::vector<int64_t> m_outputs;
    bool m_biased = false;
};

// A module that owns packed projections and packs them again after each move (Module::to moves
// each parameter on its own, which unpacks them).
class PackingModule : public torch::nn::Module {
public:
    void to(torch::Device device, torch::Dtype dtype, bool nonBlocking = false) override;
    void to(torch::Dtype dtype, bool nonBlocking = false) override;
    void to(torch::Device device, bool nonBlocking = false) override;

protected:
    // Packs registered layers together; the reference lives as long as the module.
    const PackedProjections& packTogether(std::vector<torch::nn::Linear> layers);

private:
    void packAgain();

    std::deque<PackedProjections> m_packs;
};

}  // namespace strata::model
