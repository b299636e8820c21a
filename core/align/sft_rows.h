// SFT conversations laid out as training rows of `width` positions. A conversation of L tokens
// fills L - 1 positions (inputs predict the next token); one longer than width + 1 tokens is cut.
// Packed, rows are filled with whole conversations in order, each its own segment
// (sequence_layout.h); unpacked, each row holds one. The loss counts a position when its target
// is a trained token (an assistant turn's) of the same conversation.
// The row order: curriculum None shuffles the rows anew each epoch (seeded), Length and
// Difficulty keep the conversations' sorted order every epoch.
#pragma once

#include "core/align/epoch_order.h"
#include "core/model/sequence_layout.h"
#include "core/tokenizer/chat_template.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace strata::align {

struct SftBatch {
    torch::Tensor inputs_BT;
    torch::Tensor targets_BT;
    torch::Tensor weights_BT;                     // float: 1 where the target is trained
    std::optional<model::SequenceLayout> layout;  // when packed
    // Known on the host as the batch is built, so the loss needs no read of the device: the
    // flat (B * T) positions whose target is trained, and their summed weight.
    torch::Tensor trainedPositions_N;
    double trainedWeight = 0;
};

class SftRows {
public:
    // `conversations` in the order to pack them (the caller sorts or shuffles).
    SftRows(const std::vector<tokenizer::ChatTokens>& conversations, int64_t width, bool packed,
            bool shuffleEachEpoch, uint64_t seed);

    size_t size() const { return m_rows.size(); }
    // Whether some position trains `token` as its target (with a weight above 0).
    bool trainsTarget(int64_t token) const;
    // Rows first .. first + count - 1 of the endless epoch-by-epoch order.
    SftBatch batch(uint64_t first, int count, const torch::Device& device) const;

private:
    struct Row {
        std::vector<int64_t> inputs, targets;
        std::vector<float> weights;
        std::vector<int64_t> lengths;  // of its conversations, in positions
    };
    std::vector<Row> m_rows;
    int64_t m_width;
    bool m_packed;
    EpochOrder m_order{0, false, 0};
};

}  // namespace strata::align
