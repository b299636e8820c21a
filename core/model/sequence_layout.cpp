#include "core/model/sequence_layout.h"

#include "core/model/causal_attention.h"

namespace strata::model {

SequenceLayout packedRowLayout(const std::vector<int64_t>& lengths, int64_t width) {
    torch::Tensor segments = torch::full({1, width}, -1, torch::kLong);
    torch::Tensor positions = torch::zeros({1, width}, torch::kLong);
    int64_t start = 0;
    for (size_t i = 0; i < lengths.size(); ++i) {
        TORCH_CHECK(lengths[i] > 0 && start + lengths[i] <= width, "packed lengths exceed ", width);
        segments[0].narrow(0, start, lengths[i]).fill_(int64_t(i));
        positions[0].narrow(0, start, lengths[i]).copy_(torch::arange(lengths[i], torch::kLong));
        start += lengths[i];
    }
    return {segments, positions};
}

SequenceLayout leftPaddedLayout(const std::vector<int64_t>& lengths, int64_t width) {
    torch::Tensor length_B1 = torch::tensor(lengths, torch::kLong).unsqueeze(1);
    torch::Tensor index_1T = torch::arange(width, torch::kLong).unsqueeze(0);
    torch::Tensor position_BT = index_1T - (width - length_B1);
    torch::Tensor real_BT = position_BT >= 0;
    return {
        torch::where(real_BT, torch::zeros_like(position_BT), torch::full_like(position_BT, -1)),
        position_BT.clamp_min(0)};
}

SequenceLayout stackLayouts(const std::vector<SequenceLayout>& rows) {
    std::vector<torch::Tensor> segments, positions;
    for (const SequenceLayout& row : rows) {
        segments.push_back(row.segments_BT);
        positions.push_back(row.positions_BT);
    }
    return {torch::cat(segments), torch::cat(positions)};
}

torch::Tensor segmentMask(const torch::Tensor& querySegments_BT,
                          const torch::Tensor& keySegments_BTk, int64_t window) {
    int64_t queries = querySegments_BT.size(1), keys = keySegments_BTk.size(1);
    torch::Tensor causal_TTk = causalMask(queries, keys, window, querySegments_BT.device());
    torch::Tensor same_BTTk = querySegments_BT.unsqueeze(2) == keySegments_BTk.unsqueeze(1);
    return (same_BTTk & causal_TTk.unsqueeze(0)).unsqueeze(1);
}

}  // namespace strata::model
