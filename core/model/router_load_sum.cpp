#include "core/model/router_load_sum.h"

namespace strata::model {

namespace {

thread_local SumOverRanks t_sum;

}  // namespace

RouterLoadSumScope::RouterLoadSumScope(SumOverRanks sum) : m_previous(std::move(t_sum)) {
    t_sum = sum ? std::move(sum) : m_previous;
}

RouterLoadSumScope::~RouterLoadSumScope() {
    t_sum = std::move(m_previous);
}

SumOverRanks currentRouterLoadSum() {
    return t_sum;
}

void sumRouterLoadOverRanks(torch::Tensor& counts_E) {
    if (t_sum) t_sum(counts_E);
}

}  // namespace strata::model
