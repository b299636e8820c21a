// What a model configuration costs, computed from the config alone (no tensors): parameter
// counts, total and active per token, training FLOPs per token, and a memory estimate for a
// batch. `strata-cli model info` prints them; the GUI's Model page will show them as you edit.
#pragma once

#include "core/model_spec/model_config.h"

#include <cstdint>

namespace strata::model_spec {

struct ParameterCounts {
    uint64_t embedding = 0;      // the input embedding table
    uint64_t outputHead = 0;     // the output projection; 0 when tied to the embedding
    uint64_t attention = 0;      // every layer's projections (and MLA's latent norms)
    uint64_t denseFfn = 0;       // the dense SwiGLU blocks
    uint64_t routedExperts = 0;  // all routed experts of all MoE layers
    uint64_t sharedExperts = 0;
    uint64_t routers = 0;
    uint64_t norms = 0;           // the per-layer RMSNorms and the final one
    uint64_t activePerToken = 0;  // as total(), but only top_k of the routed experts per layer

    uint64_t total() const {
        return embedding + outputHead + attention + denseFfn + routedExperts + sharedExperts +
               routers + norms;
    }
};

ParameterCounts countParameters(const ModelConfig& config);

// Forward plus backward FLOPs per trained token for sequences of seqLen tokens: 6 per active
// weight of every matrix product (the output projection included, the embedding lookup not),
// plus the attention scores and their weighted sum, 6 * layers * heads * (qk dim + v dim) *
// attended length, PaLM's convention (the causal mask is not halved). With a sliding window the
// attended length is at most the window.
double trainingFlopsPerToken(const ModelConfig& config, int seqLen);

struct MemoryEstimate {
    uint64_t parameters = 0;   // fp32 master weights
    uint64_t gradients = 0;    // fp32
    uint64_t optimizer = 0;    // AdamW's two fp32 moments
    uint64_t activations = 0;  // what backward keeps, without activation checkpointing
    // With train.activation_checkpointing: each block's input, and one block's activations
    // while the backward recomputes it.
    uint64_t checkpointedActivations = 0;
    uint64_t total() const { return parameters + gradients + optimizer + activations; }
};

// activationBytes: 4 for fp32 (CPU), 2 for bf16 autocast. storesAttentionScores: true for the
// math attention path (CPU), false for fused kernels that recompute them (CUDA flash attention).
MemoryEstimate estimateTrainingMemory(const ModelConfig& config, int batchSize, int seqLen,
                                      int activationBytes, bool storesAttentionScores);

// The parameters LoRA adapters of `rank` add (core/model/lora.h): rank x (in + out) for every
// projection of the blocks, the routers and the routed experts excepted.
uint64_t countLoraParameters(const ModelConfig& config, int rank);

// As estimateTrainingMemory, for LoRA of `rank` on the frozen model: the base weights keep no
// gradients and no optimizer state; the adapters have both, and keep their rank-wide
// intermediate per projection for backward.
MemoryEstimate estimateLoraTrainingMemory(const ModelConfig& config, int rank, int batchSize,
                                          int seqLen, int activationBytes,
                                          bool storesAttentionScores);

}  // namespace strata::model_spec
