#include "core/distributed/data_parallel.h"

#include <torch/torch.h>
#include <torch/csrc/distributed/c10d/reducer.hpp>

namespace strata::distributed {

namespace {

// DDP's default: a small first bucket so the last layers' gradients start travelling early.
constexpr size_t kFirstBucketBytes = size_t(1) << 20;

}  // namespace

DataParallel::DataParallel(ProcessGroup& group, torch::nn::Module& model, int bucketMb,
                           const std::function<bool(const torch::Tensor&)>& heldByThisRankOnly)
    : m_group(group) {
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> parameters;
    std::unordered_map<size_t, std::string> names;
    for (const auto& item : model.named_parameters()) {
        if (!item.value().requires_grad() || heldByThisRankOnly(item.value())) continue;
        names[parameters.size()] = item.key();
        parameters.push_back(item.value());
    }
    std::vector<torch::Tensor> state = parameters;
    for (const torch::Tensor& buffer : model.buffers())
        state.push_back(buffer);
    group.broadcastCoalesced(state, 0, "taking rank 0's initial parameters and buffers");

    const size_t bucketBytes = size_t(bucketMb) << 20;
    auto [buckets, limits] = c10d::compute_bucket_assignment_by_size(
        parameters, {kFirstBucketBytes, bucketBytes}, std::vector<bool>(parameters.size(), false));
    // Buckets are listed from the first parameter; the reducer wants them in the order the
    // backward pass fills them, which is the reverse.
    std::reverse(buckets.begin(), buckets.end());
    std::vector<int64_t> bucketLimits(limits.rbegin(), limits.rend());
    m_reducer = std::make_shared<c10d::Reducer>(
        parameters, std::move(buckets), group.c10dGroup(),
        std::vector<bool>(parameters.size(), false), int64_t(bucketBytes),
        /*find_unused_parameters=*/false, /*gradient_as_bucket_view=*/false, std::move(names),
        int64_t(kFirstBucketBytes), /*skip_all_reduce_unused_params=*/false,
        /*use_python_reducer=*/false, std::move(bucketLimits));
}

DataParallel::~DataParallel() = default;

void DataParallel::backward(const torch::Tensor& loss, bool synchronize) {
    if (!synchronize) {
        loss.backward();
        return;
    }
    try {
        // As DDP's forward: after the first step the buckets are rebuilt once, in the order the
        // gradients actually arrived.
        m_reducer->rebuild_buckets();
        m_reducer->prepare_for_forward();
        m_reducer->prepare_for_backward({});
        loss.backward();
    } catch (const std::exception& error) {
        m_group.failedExchange("all-reducing the gradients", error);
    }
}

}  // namespace strata::distributed
