#include "core/dist/optimizer_shards.h"

#include "core/common/error.h"

#include <torch/torch.h>

#include <algorithm>
#include <numeric>

namespace strata::dist {

OptimizerShards::OptimizerShards(ProcessGroup& group, std::vector<torch::Tensor> parameters)
    : m_group(group), m_parameters(std::move(parameters)), m_owner(m_parameters.size()) {
    for (const torch::Tensor& parameter : m_parameters)
        if (parameter.scalar_type() != m_parameters.front().scalar_type())
            common::fail("ZeRO-1 (dist.zero1) needs the parameters in one dtype, not {} and {}",
                         c10::toString(parameter.scalar_type()),
                         c10::toString(m_parameters.front().scalar_type()));
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
    // One broadcast per owner, of its parameters flattened into one buffer.
    for (int rank = 0; rank < m_group.size(); ++rank) {
        std::vector<torch::Tensor> flat;
        for (size_t i = 0; i < m_parameters.size(); ++i)
            if (m_owner[i] == rank) flat.push_back(m_parameters[i].reshape({-1}));
        if (flat.empty()) continue;
        torch::Tensor buffer = torch::cat(flat);
        m_group.broadcast(buffer, rank, "broadcasting the updated parameters (ZeRO-1)");
        if (rank == m_group.rank()) continue;
        int64_t offset = 0;
        for (size_t i = 0; i < m_parameters.size(); ++i) {
            if (m_owner[i] != rank) continue;
            torch::Tensor& parameter = m_parameters[i];
            parameter.copy_(buffer.narrow(0, offset, parameter.numel()).view_as(parameter));
            offset += parameter.numel();
        }
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
