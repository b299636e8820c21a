// Activation checkpointing of one transformer block (train.activation_checkpointing): the forward
// runs the block without grad, keeping only its input; the backward runs it again with grad and
// back-propagates through that recomputation. LibTorch has no torch.utils.checkpoint; this is its
// non-reentrant form. The block's trained tensors (its parameters that require grad, and what
// the installed MatmulOverride trains beside their weights: LoRA's A and B) are inputs of the
// recorded node, so their gradients reach AccumulateGrad, and data parallelism's hooks, as any
// other gradient does. The recomputation sees what the forward saw: autocast's state, the
// thread's MatmulOverride (the backward may run on another thread), the attention layout, and
// the experts' loads as the forward summed them over the ranks (replayed: no collective runs
// twice). The blocks draw no random numbers (no dropout, no router noise), so no RNG state is
// kept. A MoE block's routing comes back as it does from the block itself; its auxiliary and z
// losses stay differentiable.
// B batch, T time, D model dim.
#pragma once

#include "core/model/transformer.h"

namespace strata::model {

// block->forward(x_BTD, routing, nullptr, layout), keeping only x_BTD for the backward.
torch::Tensor checkpointedBlockForward(TransformerBlock& block, const torch::Tensor& x_BTD,
                                       std::vector<RouterOutput>& routing,
                                       const AttentionLayout* layout);

}  // namespace strata::model
