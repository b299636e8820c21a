// The matrix products a precision policy may take over. The projections of attention and of the
// feed-forward blocks, and the experts' grouped products, go through project() and
// groupedProject(); while a MatmulOverrideScope is alive on this thread they ask its override
// first (FP8 training, core/train/fp8_training.h; LoRA's side path, lora.h) and fall back to the
// plain product when it declines. Embeddings, the output head, routers and norms never come here:
// they stay in the precision of the rest of the model, as in DeepSeek-V3's FP8 framework. A rows, I
// in, O out, E experts.
#pragma once

#include <torch/nn/modules/linear.h>

#include <vector>

namespace strata::model {

class MatmulOverride {
public:
    virtual ~MatmulOverride() = default;
    // x (..., I) times weight_OI transposed, or an undefined tensor to leave this weight alone.
    virtual torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight_OI) = 0;
    // Rows grouped by expert (group e ends at ends_E[e]) times each expert's weight transposed,
    // or an undefined tensor to decline.
    virtual torch::Tensor groupedLinear(const torch::Tensor& rows_AI,
                                        const torch::Tensor& weight_EOI,
                                        const torch::Tensor& ends_E) = 0;
    // The trained tensors a product of this weight also depends on (LoRA's A and B), which
    // activation checkpointing must hand their gradients (block_checkpoint.h).
    virtual std::vector<torch::Tensor> trainedWith(const torch::Tensor& weight_OI) const {
        (void)weight_OI;
        return {};
    }
};

// Installs an override on this thread for its lifetime; scopes nest.
class MatmulOverrideScope {
public:
    explicit MatmulOverrideScope(MatmulOverride* override);
    ~MatmulOverrideScope();
    MatmulOverrideScope(const MatmulOverrideScope&) = delete;
    MatmulOverrideScope& operator=(const MatmulOverrideScope&) = delete;

private:
    MatmulOverride* m_previous;
};

// The override installed on this thread, or null: what a recomputation on another thread
// (activation checkpointing's backward) installs again.
MatmulOverride* currentMatmulOverride();

// layer(x), unless this thread's override takes the product.
torch::Tensor project(const torch::nn::Linear& layer, const torch::Tensor& x);

// The plain grouped product (ATen's _grouped_mm) in `type`, unless the override takes it.
torch::Tensor groupedProject(const torch::Tensor& rows_AI, const torch::Tensor& weight_EOI,
                             const torch::Tensor& ends_E, torch::ScalarType type);

}  // namespace strata::model
