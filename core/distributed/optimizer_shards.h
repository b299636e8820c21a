// ZeRO stage 1 (Rajbhandari et al., 2020): AdamW's moments sharded across the ranks. Each
// parameter belongs to one rank (the assignment balances element counts); only its owner keeps
// its moments and updates it, then broadcasts the new values, so every rank ends the step with
// the same parameters as plain data parallelism would give, for 1/N of the optimizer's memory.
// The gradients are still all-reduced whole, which keeps gradient clipping unchanged.
#pragma once

#include "core/distributed/process_group.h"

#include <torch/optim/adamw.h>

#include <vector>

namespace strata::distributed {

class OptimizerShards {
public:
    OptimizerShards(ProcessGroup& group, std::vector<torch::Tensor> parameters);

    int owner(size_t parameter) const { return m_owner[parameter]; }
    // The parameters' elements this rank keeps moments for, and all of them.
    int64_t ownedElements() const;
    int64_t totalElements() const;
    // Forgets the moments of the parameters other ranks own (after a checkpoint was loaded whole,
    // or written).
    void dropUnownedState(torch::optim::AdamW& optimizer) const;
    // Before the optimizer's step: without a gradient, a parameter is skipped by the step.
    void dropUnownedGradients() const;
    // After the step: every parameter from the rank that updated it.
    void broadcastUpdatedParameters();
    // Before writing a checkpoint: each owner broadcasts its parameters' moments, so every rank
    // holds the whole state (whichever ranks write checkpoints: rank 0, or one on each host).
    void gatherState(torch::optim::AdamW& optimizer);

private:
    bool owned(size_t parameter) const { return m_owner[parameter] == m_group.rank(); }

    ProcessGroup& m_group;
    std::vector<torch::Tensor> m_parameters;
    std::vector<int> m_owner;
};

}  // namespace strata::distributed
