// Expert parallelism's hook into the MoE layers. The routed experts of a layer are spread over
// the ranks of a run, rank r holding the r-th contiguous range of them; an assignment travels to
// the rank that holds its expert, and the expert's output travels back. core/distributed implements
// the travel with c10d's all-to-all. W ranks, L = E / W experts per rank.
#pragma once

#include <torch/types.h>

#include <vector>

namespace strata::model {

class ExpertExchange {
public:
    virtual ~ExpertExchange() = default;
    virtual int rank() const = 0;
    virtual int size() const = 0;
    // Row r of sendCounts_WL (int64) counts the rows this rank sends to each of rank r's experts;
    // returns the same from every rank to this one: row r is what rank r sends here.
    virtual torch::Tensor exchangeCounts(const torch::Tensor& sendCounts_WL) = 0;
    // Sends the first sendRows[0] rows to rank 0, the next sendRows[1] to rank 1, and so on;
    // returns the rows received, in rank order (receiveRows[r] from rank r). Differentiable: the
    // gradients travel back the same way.
    virtual torch::Tensor exchangeRows(const torch::Tensor& rows,
                                       const std::vector<int64_t>& sendRows,
                                       const std::vector<int64_t>& receiveRows) = 0;
};

}  // namespace strata::model
