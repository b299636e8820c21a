// Global-batch load balancing: with several ranks each router sees only its rank's slice of the
// micro-batch, so its balance loss would balance each slice on its own, and N ranks would train
// otherwise than one process. While a RouterLoadSumScope is alive on this thread, the routers add
// up their experts' assignment counts over the ranks through it (one all-reduce of E numbers a
// layer) before they turn them into loads, so the balance loss, the reported loads and the bias
// updates all see the whole micro-batch.
// E routed experts.
#pragma once

#include <torch/types.h>

#include <functional>

namespace strata::model {

using SumOverRanks = std::function<void(torch::Tensor& counts_E)>;

// Installs `sum` on this thread for its lifetime; an empty function installs nothing.
class RouterLoadSumScope {
public:
    explicit RouterLoadSumScope(SumOverRanks sum);
    ~RouterLoadSumScope();
    RouterLoadSumScope(const RouterLoadSumScope&) = delete;
    RouterLoadSumScope& operator=(const RouterLoadSumScope&) = delete;

private:
    SumOverRanks m_previous;
};

// The function installed on this thread (empty when none): what activation checkpointing's
// forward records the summed loads through (block_checkpoint.h).
SumOverRanks currentRouterLoadSum();

// counts_E summed over the ranks, in place, when this thread has a scope.
void sumRouterLoadOverRanks(torch::Tensor& counts_E);

}  // namespace strata::model
