// Data parallelism on torch's own DDP engine, c10d::Reducer: the gradients of the parameters are
// grouped into buckets of about bucketMb MiB (in reverse order of registration, roughly the order
// the backward pass produces them), and each bucket is all-reduced, averaged over the ranks, as
// soon as its last gradient is ready, while the backward pass goes on. At construction every rank
// takes rank 0's parameters and buffers, so the replicas start equal whatever their seeds.
// Parameters each rank holds its own of (expert parallelism's experts) are left out of both.
#pragma once

#include "core/distributed/process_group.h"

#include <torch/nn/module.h>

#include <functional>
#include <memory>

namespace c10d {
class Reducer;
}

namespace strata::distributed {

class DataParallel {
public:
    DataParallel(ProcessGroup& group, torch::nn::Module& model, int bucketMb,
                 const std::function<bool(const torch::Tensor&)>& heldByThisRankOnly);
    ~DataParallel();

    // The backward pass of `loss`. With `synchronize` (the last micro-batch of a step) it leaves
    // the gradients averaged over the ranks; otherwise they only accumulate locally (DDP's
    // no_sync), so a step all-reduces once however many micro-batches it has.
    void backward(const torch::Tensor& loss, bool synchronize);

private:
    ProcessGroup& m_group;
    std::shared_ptr<c10d::Reducer> m_reducer;
};

}  // namespace strata::distributed
