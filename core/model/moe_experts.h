// The routed experts of a MoE layer: E SwiGLU blocks stored as stacked weights, applied by
// grouped dispatch — the (token, expert) assignments are sorted by expert so each expert's rows
// are contiguous, one grouped matrix product per weight runs every expert over its rows, then the
// outputs are weighted and added back per token.
// Under expert parallelism (spreadOver) the layer keeps only its rank's range of the experts and
// the assignments travel to the ranks holding theirs between the sort and the products.
// forwardDense() is the plain reference the tests compare with: every expert on every token,
// masked by the routing weights.
// N tokens, D model dim, E experts, F expert hidden size, K top-k, A = N * K assignments,
// W ranks, L = E / W experts per rank, R rows arriving at this rank.
#pragma once

#include "core/model/expert_exchange.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <memory>

namespace strata::model {

class MoeExpertsImpl : public torch::nn::Module {
public:
    MoeExpertsImpl(int64_t numExperts, int64_t dModel, int64_t hidden);

    torch::Tensor forward(const torch::Tensor& x_ND, const torch::Tensor& topIdx_NK,
                          const torch::Tensor& topWeight_NK);
    torch::Tensor forwardDense(const torch::Tensor& x_ND, const torch::Tensor& topIdx_NK,
                               const torch::Tensor& topWeight_NK);

    // Expert parallelism: from now on the weights hold only the L experts of exchange's rank
    // (core/distributed/expert_parallel.h keeps them so), and forward() exchanges the assignments.
    void spreadOver(std::shared_ptr<ExpertExchange> exchange) { m_exchange = std::move(exchange); }
    int64_t numExperts() const { return m_numExperts; }  // E, wherever they are held

    torch::Tensor gate_EFD;  // per expert, as a Linear's weight (out, in)
    torch::Tensor up_EFD;
    torch::Tensor down_EDF;

private:
    // The SwiGLU of every held expert over its rows: rows grouped by expert, group e ending at
    // ends_E[e] (int32).
    torch::Tensor runExperts(const torch::Tensor& rows_AD, const torch::Tensor& ends_E,
                             torch::ScalarType type);
    // The rows (sorted by expert; expert_A is each assignment's expert, unsorted) to the ranks
    // holding their experts, through those, and back.
    torch::Tensor runSpread(const torch::Tensor& rows_AD, const torch::Tensor& expert_A,
                            torch::ScalarType type);
    torch::Tensor expert(int64_t e, const torch::Tensor& x_MD) const;  // forwardDense's

    int64_t m_numExperts;
    std::shared_ptr<ExpertExchange> m_exchange;  // null while every expert is held here
};
TORCH_MODULE(MoeExperts);

}  // namespace strata::model
