#include "core/align/sft_rows.h"

#include "core/train/devices.h"

#include <torch/torch.h>

#include <algorithm>

namespace strata::align {

SftRows::SftRows(const std::vector<tokenizer::ChatTokens>& conversations, int64_t width,
                 bool packed, bool shuffleEachEpoch, uint64_t seed)
    : m_width(width), m_packed(packed) {
    Row row;
    for (const tokenizer::ChatTokens& conversation : conversations) {
        int64_t length = std::min<int64_t>(int64_t(conversation.ids.size()) - 1, width);
        if (length < 1) continue;
        if (!row.lengths.empty() && (!packed || int64_t(row.inputs.size()) + length > width)) {
            m_rows.push_back(std::move(row));
            row = Row{};
        }
        for (int64_t i = 0; i < length; ++i) {
            row.inputs.push_back(conversation.ids[size_t(i)]);
            row.targets.push_back(conversation.ids[size_t(i) + 1]);
            row.weights.push_back(conversation.trained[size_t(i) + 1] ? 1.0f : 0.0f);
        }
        row.lengths.push_back(length);
    }
    if (!row.lengths.empty()) m_rows.push_back(std::move(row));
    m_order = EpochOrder(m_rows.size(), shuffleEachEpoch, seed);
}

bool SftRows::trainsTarget(int64_t token) const {
    for (const Row& row : m_rows)
        for (size_t i = 0; i < row.targets.size(); ++i)
            if (row.targets[i] == token && row.weights[i] > 0) return true;
    return false;
}

SftBatch SftRows::batch(uint64_t first, int count, const torch::Device& device) const {
    SftBatch out;
    out.inputs_BT = torch::zeros({count, m_width}, torch::kLong);
    out.targets_BT = torch::zeros({count, m_width}, torch::kLong);
    out.weights_BT = torch::zeros({count, m_width}, torch::kFloat32);
    std::vector<model::SequenceLayout> layouts;
    std::vector<int64_t> trained;
    for (int b = 0; b < count; ++b) {
        const Row& row = m_rows[m_order.at(first + uint64_t(b))];
        int64_t length = int64_t(row.inputs.size());
        out.inputs_BT[b].narrow(0, 0, length).copy_(torch::tensor(row.inputs, torch::kLong));
        out.targets_BT[b].narrow(0, 0, length).copy_(torch::tensor(row.targets, torch::kLong));
        out.weights_BT[b].narrow(0, 0, length).copy_(torch::tensor(row.weights));
        for (int64_t t = 0; t < length; ++t)
            if (row.weights[size_t(t)] > 0) {
                trained.push_back(b * m_width + t);
                out.trainedWeight += row.weights[size_t(t)];
            }
        if (m_packed) layouts.push_back(model::packedRowLayout(row.lengths, m_width));
    }
    out.inputs_BT = train::copyToDevice(out.inputs_BT, device);
    out.targets_BT = train::copyToDevice(out.targets_BT, device);
    out.weights_BT = train::copyToDevice(out.weights_BT, device);
    out.trainedPositions_N = train::copyToDevice(torch::tensor(trained, torch::kLong), device);
    if (m_packed) out.layout = model::stackLayouts(layouts);
    return out;
}

}  // namespace strata::align
