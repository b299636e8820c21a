#include "core/train/fp8_quantization.h"

#include <torch/torch.h>

#include <cmath>

namespace strata::train {

namespace {

constexpr double kMaxScaleExponent = 100;

struct TileGrid {
    int64_t rows, cols;  // tile size, resolved
    int64_t rowTiles, colTiles;
};

TileGrid tileGrid(const torch::Tensor& x, Fp8Tile tile) {
    TORCH_CHECK(x.dim() == 2 || x.dim() == 3, "FP8 operands are (R,C) or (B,R,C), got ", x.sizes());
    int64_t numRows = x.size(-2), numCols = x.size(-1);
    int64_t rows = tile.rows > 0 ? std::min(tile.rows, numRows) : numRows;
    int64_t cols = tile.cols > 0 ? std::min(tile.cols, numCols) : numCols;
    return {rows, cols, (numRows + rows - 1) / std::max<int64_t>(rows, 1),
            (numCols + cols - 1) / std::max<int64_t>(cols, 1)};
}

// A per-tile tensor (…, rowTiles, colTiles) spread over x's elements (or left to broadcast).
torch::Tensor perElement(const torch::Tensor& perTile, const torch::Tensor& x, Fp8Tile tile) {
    TileGrid grid = tileGrid(x, tile);
    torch::Tensor spread = perTile;
    if (grid.rows > 1 && grid.rowTiles > 1)
        spread = spread.repeat_interleave(grid.rows, -2).narrow(-2, 0, x.size(-2));
    if (grid.cols > 1 && grid.colTiles > 1)
        spread = spread.repeat_interleave(grid.cols, -1).narrow(-1, 0, x.size(-1));
    return spread;
}

}  // namespace

torch::ScalarType fp8ScalarType(run::Fp8Format format) {
    return format == run::Fp8Format::E4M3 ? torch::kFloat8_e4m3fn : torch::kFloat8_e5m2;
}

double fp8MaxValue(run::Fp8Format format) {
    return format == run::Fp8Format::E4M3 ? 448.0 : 57344.0;
}

torch::Tensor tileAmax(const torch::Tensor& x, Fp8Tile tile) {
    TileGrid grid = tileGrid(x, tile);
    torch::Tensor magnitude = x.detach().abs().to(torch::kFloat32);
    if (grid.rowTiles == 1 && grid.colTiles == 1) return magnitude.amax({-2, -1}, true);
    if (grid.rowTiles == x.size(-2) && grid.colTiles == 1) return magnitude.amax(-1, true);
    // Zero padding to whole tiles leaves every tile's amax as it is.
    int64_t padRows = grid.rowTiles * grid.rows - x.size(-2);
    int64_t padCols = grid.colTiles * grid.cols - x.size(-1);
    torch::Tensor padded = torch::constant_pad_nd(magnitude, {0, padCols, 0, padRows});
    std::vector<int64_t> shape(x.sizes().begin(), x.sizes().end() - 2);
    shape.insert(shape.end(), {grid.rowTiles, grid.rows, grid.colTiles, grid.cols});
    return padded.view(shape).amax({-3, -1});
}

torch::Tensor scaleForAmax(const torch::Tensor& amax, run::Fp8Format format, int margin) {
    const double maxValue = fp8MaxValue(format);
    torch::Tensor usable = (amax > 0) & torch::isfinite(amax);
    // Logarithms apart, so a tiny (subnormal) amax gives a large exponent, not an infinite
    // quotient; capped so the scale and its inverse stay normal fp32 and bf16 numbers.
    torch::Tensor exponent =
        torch::floor(std::log2(maxValue) - torch::log2(amax)).clamp_max(kMaxScaleExponent) - margin;
    torch::Tensor scale = torch::where(usable, torch::exp2(exponent), torch::ones_like(amax));
    // Rounding in the logarithms may overshoot by one power.
    return torch::where(usable & (amax * scale > maxValue), scale / 2, scale);
}

torch::Tensor Fp8Tensor::dequantize(torch::ScalarType type) const {
    return data.to(type) * perElement(scale.reciprocal(), data, tile).to(type);
}

Fp8Tensor Fp8Tensor::transposed(Fp8Tile newTile) const {
    if (wholeTensor()) return {data.transpose(-2, -1), scale, kWholeTensor, format};
    if (tile.rows == tile.cols && newTile == tile)
        return {data.transpose(-2, -1), scale.transpose(-2, -1), tile, format};
    return quantizeDynamic(dequantize().transpose(-2, -1), format, newTile);
}

void Fp8Counts::add(const torch::Tensor& counts) {
    overflow_underflow = overflow_underflow.defined() ? overflow_underflow + counts : counts;
}

Fp8Tensor quantize(const torch::Tensor& x, run::Fp8Format format, Fp8Tile tile,
                   const torch::Tensor& scale, Fp8Counts* counts) {
    const double maxValue = fp8MaxValue(format);
    torch::Tensor scaled = x.detach().to(torch::kFloat32) * perElement(scale, x, tile);
    torch::Tensor data = scaled.clamp(-maxValue, maxValue).to(fp8ScalarType(format));
    if (counts) {
        torch::Tensor overflow = (scaled.abs() > maxValue).sum();
        torch::Tensor underflow = ((scaled != 0) & (data.to(torch::kFloat32) == 0)).sum();
        counts->add(torch::stack({overflow, underflow}));
    }
    return {data, scale, tile, format};
}

Fp8Tensor quantizeDynamic(const torch::Tensor& x, run::Fp8Format format, Fp8Tile tile) {
    return quantize(x, format, tile, scaleForAmax(tileAmax(x, tile), format));
}

}  // namespace strata::train
