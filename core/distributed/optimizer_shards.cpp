#include "core/distributed/optimizer_shards.h"

#include <torch/torch.h>

#include <algorithm>
#include <numeric>

namespace strata::distributed {

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

void OptimizerShards::gatherState(torch::optim::AdamW& optimizer) {
    const char* what = "gathering the optimizer state for a checkpoint (ZeRO-1)";
    auto& state = optimizer.state();
    for (int from = 0; from < m_group.size(); ++from) {
        // Each parameter's step (one int64; 0 when the owner has no state yet) and moments.
        std::vector<torch::Tensor> tensors;
        std::vector<size_t> parameters;
        for (size_t i = 0; i < m_parameters.size(); ++i) {
            if (m_owner[i] != from) continue;
            const torch::Tensor& parameter = m_parameters[i];
            torch::Tensor step = torch::zeros({1}, parameter.options().dtype(torch::kInt64));
            torch::Tensor expAvg = torch::zeros_like(parameter);
            torch::Tensor expAvgSq = torch::zeros_like(parameter);
            auto found = state.find(parameter.unsafeGetTensorImpl());
            if (from == m_group.rank() && found != state.end()) {
                auto& adam = static_cast<torch::optim::AdamWParamState&>(*found->second);
                step.fill_(adam.step());
                expAvg = adam.exp_avg();
                expAvgSq = adam.exp_avg_sq();
            }
            tensors.insert(tensors.end(), {step, expAvg, expAvgSq});
            parameters.push_back(i);
        }
        if (tensors.empty()) continue;
        m_group.broadcastCoalesced(tensors, from, what);
        if (from == m_group.rank()) continue;
        for (size_t k = 0; k < parameters.size(); ++k) {
            const int64_t step = tensors[3 * k].item<int64_t>();
            if (step == 0) continue;
            auto adam = std::make_unique<torch::optim::AdamWParamState>();
            adam->step(step);
            adam->exp_avg(tensors[3 * k + 1]);
            adam->exp_avg_sq(tensors[3 * k + 2]);
            state[m_parameters[parameters[k]].unsafeGetTensorImpl()] = std::move(adam);
        }
    }
}

}  // namespace strata::distributed
