// Expert parallelism (GShard, DeepSeek-V3's EP): the routed experts of every MoE layer spread
// over the ranks, rank r holding the r-th contiguous range of E / W experts. In each layer's
// forward pass the assignments travel to the ranks holding their experts and the outputs travel
// back, both by c10d's all-to-all, and the backward pass sends the gradients the same ways. An
// expert's weights live on one rank only, so data parallelism neither broadcasts nor all-reduces
// them; instead the gradient its rank collects, which already sums every rank's tokens, is
// averaged as data parallelism averages the others, and the gradient norm counts every rank's
// experts once. Checkpoints stay whole: the ranks gather the layers before one is written and
// keep their range again after, and a resumed run keeps its range of the whole layers it loaded,
// whatever world size wrote them.
#pragma once

#include "core/distributed/process_group.h"

#include <torch/nn/module.h>
#include <torch/optim/adamw.h>

#include <vector>

namespace strata::distributed {

class ExpertParallel {
public:
    // Spreads every MoE layer of `model` over the ranks: this rank keeps its range of the experts'
    // weights and, when the optimizer already has them (a resumed run), of AdamW's moments.
    ExpertParallel(ProcessGroup& group, torch::nn::Module& model, torch::optim::AdamW& optimizer);

    // Whether `parameter` is one of the experts' weights: this rank's own, unlike every other.
    bool holds(const torch::Tensor& parameter) const;
    // How many experts of each MoE layer this rank holds now (its range starts at rank * that).
    int64_t heldExperts() const { return m_parameters.empty() ? 0 : m_parameters.front().size(0); }
    // After the backward pass: from a sum over the ranks' tokens to their mean.
    void averageGradients();
    // Clips the gradients of `parameters` (all of the model's) to a norm of maxNorm over the
    // whole model, every rank's experts counted once; returns the norm before clipping.
    double clipGradientNorm(const std::vector<torch::Tensor>& parameters, double maxNorm);
    // Before writing a checkpoint: every rank gathers the whole layers, weights and moments, so
    // the checkpoint has the format of a single process's. keepOwn() returns to this rank's range.
    void gatherWhole(torch::optim::AdamW& optimizer);
    void keepOwn(torch::optim::AdamW& optimizer);

private:
    ProcessGroup& m_group;
    std::vector<torch::Tensor> m_parameters;  // every MoE layer's gate, up and down weights
};

}  // namespace strata::distributed
