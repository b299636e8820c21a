// FP8 numbers as training uses them: a tensor is cut into tiles, each tile gets one scale, and
// x * scale is rounded to E4M3 or E5M2 (clamped to the format's largest value first, since
// E4M3 has no infinity). Scales are powers of two, so dequantizing, data / scale, is exact in
// fp32 and bf16: multiplying dequantized operands with fp32 accumulation gives what FP8 tensor
// cores give, which is what makes the emulation in fp8_matmul.h exact.
// An operand is laid out (rows, contraction) — R rows, C columns — optionally with a leading
// batch dimension (one matrix per expert) whose matrices never share a tile.
#pragma once

#include "core/run/precision_config.h"

#include <torch/types.h>

namespace strata::train {

torch::ScalarType fp8ScalarType(run::Fp8Format format);
double fp8MaxValue(run::Fp8Format format);  // 448 (E4M3), 57344 (E5M2)

// The elements that share one scale; 0 spans the whole dimension.
struct Fp8Tile {
    int64_t rows = 0;
    int64_t cols = 0;
    bool operator==(const Fp8Tile&) const = default;
};
constexpr Fp8Tile kWholeTensor{0, 0};
constexpr Fp8Tile kPerRow{1, 0};
constexpr Fp8Tile kTile1x128{1, 128};
constexpr Fp8Tile kBlock128x128{128, 128};

// The largest |x| of each tile as fp32: (tiles down, tiles across), batched like x.
torch::Tensor tileAmax(const torch::Tensor& x, Fp8Tile tile);

// The power of two that brings amax to at most the format's largest value, divided by 2^margin;
// at most 2^100 (a smaller amax underflows), and 1 where amax is 0 or not finite.
torch::Tensor scaleForAmax(const torch::Tensor& amax, run::Fp8Format format, int margin = 0);

struct Fp8Tensor {
    torch::Tensor data;   // FP8, x's shape
    torch::Tensor scale;  // fp32 per tile (tileAmax's shape): data = round(x * scale)
    Fp8Tile tile;
    run::Fp8Format format = run::Fp8Format::E4M3;

    bool wholeTensor() const { return scale.numel() == 1; }
    // data / scale, exactly, as `type`.
    torch::Tensor dequantize(torch::ScalarType type = torch::kFloat32) const;
    // The operand transposed (the contraction runs over the other dimension) with tiles of
    // `tile`: a whole-tensor scale and square blocks carry over as they are; other tiles are
    // requantized from the dequantized values, as DeepSeek-V3 turns 1x128 activation tiles into
    // 128x1 ones for the weight gradient.
    Fp8Tensor transposed(Fp8Tile tile) const;
};

// Elements clamped to the format's largest value, and nonzero elements that rounded to zero.
struct Fp8Counts {
    torch::Tensor overflow_underflow;  // int64 (2,), kept on the device; undefined until used
    void add(const torch::Tensor& counts);
};

// x rounded to `format` with one `scale` per tile (scale's shape is tileAmax's). When counts is
// given, this quantization's overflows and underflows are added to it.
Fp8Tensor quantize(const torch::Tensor& x, run::Fp8Format format, Fp8Tile tile,
                   const torch::Tensor& scale, Fp8Counts* counts = nullptr);

// quantize() with the scale of x's own amax (dynamic scaling).
Fp8Tensor quantizeDynamic(const torch::Tensor& x, run::Fp8Format format, Fp8Tile tile);

}  // namespace strata::train
