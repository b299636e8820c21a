// How the tokens of a batch row relate when a row is not one sequence from position 0: several
// examples packed into one row (SFT), or prompts of different lengths left-padded to one width
// (batched generation). Each token carries a segment and a position: it attends only to earlier
// tokens of its own segment, and the rotary embedding sees its position within that segment, so
// a packed or padded row computes exactly what its sequences would compute alone.
// B batch, T time (new tokens), Tk keys (cached and new).
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace strata::model {

struct SequenceLayout {
    torch::Tensor segments_BT;   // int64; equal values attend to each other, padding gets -1
    torch::Tensor positions_BT;  // int64; each token's position within its segment
};

// What the attention modules need of a layout: the queries' positions and the boolean
// (B, 1, T, Tk) mask of the keys each query may see.
struct AttentionLayout {
    torch::Tensor positions_BT;
    torch::Tensor mask_B1TTk;
};

// One row of back-to-back sequences of these lengths, padded with segment -1 to `width`.
SequenceLayout packedRowLayout(const std::vector<int64_t>& lengths, int64_t width);

// Rows whose first width - length[b] tokens are padding (segment -1) and the rest one sequence.
SequenceLayout leftPaddedLayout(const std::vector<int64_t>& lengths, int64_t width);

// Stacks one-row layouts (B = 1 each) into a batch.
SequenceLayout stackLayouts(const std::vector<SequenceLayout>& rows);

// The attention mask of queries with `querySegments_BT` (the last T of Tk positions) over keys
// with `keySegments_BTk`: causal, same segment, and within `window` positions when window > 0.
torch::Tensor segmentMask(const torch::Tensor& querySegments_BT,
                          const torch::Tensor& keySegments_BTk, int64_t window);

}  // namespace strata::model
