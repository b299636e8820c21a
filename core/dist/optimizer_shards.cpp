#include "core/dist/optimizer_shards.h"

#include <torch/torch.h>

#include <algorithm>
#include <numeric>

namespace strata::dist {

OptimizerShards::OptimizerShards(ProcessGroup& group, std::vector<torch::Tensor> parameters)
    : m_group(group), m_parameters(std::move(parameters)), m_owner(m_parameters.size()) {
    // Largest first, each to the rank with the fewest elements so far: the same on every rank.
    std::vector<size_t> order(m_parameters.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return m_parameters[a].numel() > m_parameters[b].numel();
    });
    std::vector<int64_t> load(size_t(group.size()), 0);
    for (size_t index : order) {
        int rank = int(std::min_element(load.begin(), load.end()) - load.begin());
        m_owner[index] = rank;
        load[size_t(rank)] += m_parameters[index].numel();
    }
}

int64_t OptimizerShards::ownedElements() const {
    int64_t count = 0;
    for (size_t i = 0; i < m_parameters.size(); ++i)
        if (owned(i)) count += m_parameters[i].numel();
    return count;
}

int64_t OptimizerShards::totalElements() const {
    int64_t count = 0;
    for (const torch::Tensor& parameter : m_parameters)
        count += parameter.numel();
    return count;
}

void OptimizerShards::dropUnownedState(torch::optim::AdamW& optimizer) const {
    for (size_t i = 0; i < m_parameters.size(); ++i)
        if (!owned(i)) optimizer.state().erase(m_parameters[i].unsafeGetTensorImpl());
}

void OptimizerShards::dropUnownedGradients() const {
    for (size_t i = 0; i < m_parameters.size(); ++i)
        if (!owned(i)) m_parameters[i].mutable_grad().reset();
}

void OptimizerShards::broadcastUpdatedParameters() {
    torch::NoGradGuard noGrad;
    for (int rank = 0; rank < m_group.size(); ++rank) {
        std::vector<torch::Tensor> owned;
        for (size_t i = 0; i < m_parameters.size(); ++i)
            if (m_owner[i] == rank) owned.push_back(m_parameters[i]);
        if (!owned.empty())
            m_group.broadcastCoalesced(owned, rank, "broadcasting the updated parameters (ZeRO-1)");
    }
}

void OptimizerShards::gatherStateOnMain(torch::optim::AdamW& optimizer) {
    const char* what = "gathering the optimizer state on rank 0 for a checkpoint (ZeRO-1)";
    auto& state = optimizer.state();
    for (size_t i = 0; i < m_parameters.size(); ++i) {
        const int from = m_owner[i];
        if (from == 0 || (m_group.rank() != 0 && m_group.rank() != from)) continue;
        const torch::Tensor& parameter = m_parameters[i];
        // The step travels as a one-element int64 tensor; 0 means the owner has no state yet.
        torch::Tensor step = torch::zeros({1}, parameter.options().dtype(torch::kInt64));
        torch::Tensor expAvg = torch::zeros_like(parameter);
        torch::Tensor expAvgSq = torch::zeros_like(parameter);
        if (m_group.rank() == from) {
            auto found = state.find(parameter.unsafeGetTensorImpl());
            if (found != state.end()) {
                auto& adam = static_cast<torch::optim::AdamWParamState&>(*found->second);
                step.fill_(adam.step());
                expAvg = adam.exp_avg();
                expAvgSq = adam.exp_avg_sq();
            }
            m_group.send(step, 0, what);
            m_group.send(expAvg, 0, what);
            m_group.send(expAvgSq, 0, what);
            continue;
        }
        m_group.receive(step, from, what);
        m_group.receive(expAvg, from, what);
        m_group.receive(expAvgSq, from, what);
        if (step.item<int64_t>() == 0) continue;
        auto adam = std::make_unique<torch::optim::AdamWParamState>();
        adam->step(step.item<int64_t>());
        adam->exp_avg(expAvg);
        adam->exp_avg_sq(expAvgSq);
        state[parameter.unsafeGetTensorImpl()] = std::move(adam);
    }
}

}  // namespace strata::dist
