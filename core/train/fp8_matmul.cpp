#include "core/train/fp8_matmul.h"

#include <ATen/ops/_grouped_mm.h>
#include <ATen/ops/_scaled_grouped_mm.h>
#include <ATen/ops/_scaled_mm.h>
#include <torch/torch.h>

#if STRATA_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#endif

namespace strata::train {

namespace {

int computeCapability([[maybe_unused]] const torch::Device& device) {
#if STRATA_WITH_CUDA
    if (device.is_cuda()) {
        const cudaDeviceProp* properties =
            at::cuda::getDeviceProperties(device.has_index() ? device.index() : 0);
        return properties->major * 10 + properties->minor;
    }
#endif
    return 0;
}

// The precision the emulation multiplies dequantized operands in: fp32 on the CPU; bf16 on
// CUDA, whose bf16 products accumulate in fp32 like FP8 tensor cores (FP8 values and
// power-of-two scales are exact in bf16).
torch::ScalarType emulationType(const torch::Tensor& data) {
    return data.is_cuda() ? torch::kBFloat16 : torch::kFloat32;
}

// Row-wise scaled products: cuBLASLt on Hopper and newer.
bool hasRowwiseFp8(int capability) {
    return capability >= 90;
}

// Block-wise scaled products and the grouped FP8 kernel: built for Hopper (9.x) only.
bool hasHopperFp8(int capability) {
    return capability / 10 == 9;
}

// DeepSeek-V3's block-wise pairs as cuBLASLt takes them on Hopper (CUDA 12.9 or newer): 1x128
// tiles of a with 128x128 blocks or 1x128 tiles of b, or 128x128 blocks of a with 1x128 tiles
// of b; whole tiles only, and where a 128x128 block takes part, a multiple of 4 tiles along the
// contraction (cuBLASLt pads block scales to 4, which _scaled_mm's layout does not).
bool nativeBlockwise(const Fp8Tensor& a_PK, const Fp8Tensor& b_QK) {
    const bool aTiles = a_PK.tile == kTile1x128, aBlocks = a_PK.tile == kBlock128x128;
    const bool bTiles = b_QK.tile == kTile1x128, bBlocks = b_QK.tile == kBlock128x128;
    if (!(aTiles && (bTiles || bBlocks)) && !(aBlocks && bTiles)) return false;
    const int64_t rows = a_PK.data.size(0), columns = b_QK.data.size(0);
    const int64_t contraction = a_PK.data.size(1);
    if (contraction % ((aBlocks || bBlocks) ? 4 * 128 : 128) != 0) return false;
    return (!aBlocks || rows % 128 == 0) && (!bBlocks || columns % 128 == 0);
}

}  // namespace

bool deviceHasFp8(const torch::Device& device) {
    return computeCapability(device) >= 89;
}

bool nativeFp8Recipe(run::Fp8Recipe recipe, const torch::Device& device) {
    const int capability = computeCapability(device);
    switch (recipe) {
        case run::Fp8Recipe::Tensorwise:
        case run::Fp8Recipe::Delayed:
            return deviceHasFp8(device);
        case run::Fp8Recipe::Rowwise:
            return hasRowwiseFp8(capability);
        case run::Fp8Recipe::Blockwise:
            return hasHopperFp8(capability);
    }
    return false;
}

bool nativeFp8Matmul(const Fp8Tensor& a_PK, const Fp8Tensor& b_QK) {
    if (a_PK.data.dim() != 2 || b_QK.data.dim() != 2) return false;
    const bool bothE5m2 =
        a_PK.format == run::Fp8Format::E5M2 && b_QK.format == run::Fp8Format::E5M2;
    const bool wholeTensor = a_PK.wholeTensor() && b_QK.wholeTensor();
    if (a_PK.data.is_cpu()) return wholeTensor;
    // cuBLASLt's FP8 GEMMs: dimensions in multiples of 16, never two E5M2 operands.
    const torch::Device device = a_PK.data.device();
    if (!deviceHasFp8(device) || bothE5m2) return false;
    if (a_PK.data.size(1) % 16 != 0 || b_QK.data.size(0) % 16 != 0) return false;
    if (wholeTensor) return true;
    const bool bothE4m3 =
        a_PK.format == run::Fp8Format::E4M3 && b_QK.format == run::Fp8Format::E4M3;
    const int capability = computeCapability(device);
    const bool rowwise = a_PK.tile == kPerRow && b_QK.tile == kPerRow;
    if (rowwise) return bothE4m3 && hasRowwiseFp8(capability);
    return bothE4m3 && hasHopperFp8(capability) && nativeBlockwise(a_PK, b_QK);
}

torch::Tensor fp8Matmul(const Fp8Tensor& a_PK, const Fp8Tensor& b_QK, torch::ScalarType outType) {
    if (!nativeFp8Matmul(a_PK, b_QK)) return fp8MatmulEmulated(a_PK, b_QK, outType);
    // _scaled_mm multiplies by the inverse scales; a row-major, b column-major.
    torch::Tensor a = a_PK.data.contiguous();
    torch::Tensor bT = b_QK.data.contiguous().t();
    torch::Tensor inverseA = a_PK.scale.reciprocal();  // (1, 1), (P, 1) or per tile
    torch::Tensor inverseB = b_QK.scale.reciprocal();  // (1, 1), (Q, 1) or per tile
    if (a_PK.wholeTensor())
        return at::_scaled_mm(a, bT, inverseA.reshape({}), inverseB.reshape({}), {}, {}, outType);
    // Row-wise and block-wise scaling write bf16 only.
    if (a_PK.tile == kPerRow)
        return at::_scaled_mm(a, bT, inverseA, inverseB.t().contiguous(), {}, {}, torch::kBFloat16)
            .to(outType);
    // cuBLASLt reads 1x128 scales of a with the rows fastest, and b's scales as those of b
    // transposed: 1x128 ones (K / 128, Q) row-major, 128x128 ones (K / 128, Q / 128) with the
    // contraction fastest.
    torch::Tensor scaleA =
        a_PK.tile == kTile1x128 ? inverseA.t().contiguous().t() : inverseA.contiguous();
    torch::Tensor scaleB =
        b_QK.tile == kTile1x128 ? inverseB.t().contiguous() : inverseB.contiguous().t();
    return at::_scaled_mm(a, bT, scaleA, scaleB, {}, {}, torch::kBFloat16).to(outType);
}

torch::Tensor fp8MatmulEmulated(const Fp8Tensor& a_PK, const Fp8Tensor& b_QK,
                                torch::ScalarType outType) {
    torch::ScalarType type = emulationType(a_PK.data);
    return torch::matmul(a_PK.dequantize(type), b_QK.dequantize(type).transpose(-2, -1))
        .to(outType);
}

bool nativeFp8GroupedMatmul(const Fp8Tensor& a_AK, const Fp8Tensor& b_EQK) {
    if (!a_AK.data.is_cuda() || !hasHopperFp8(computeCapability(a_AK.data.device()))) return false;
    if (a_AK.format != run::Fp8Format::E4M3 || b_EQK.format != run::Fp8Format::E4M3) return false;
    auto rowwise = [](const Fp8Tensor& t) { return t.tile == kPerRow || t.wholeTensor(); };
    const bool wholeExperts = b_EQK.scale.size(1) == 1 && b_EQK.scale.size(2) == 1;
    if (!rowwise(a_AK) || !(b_EQK.tile == kPerRow || wholeExperts)) return false;
    // CUTLASS's grouped kernel: sizes in multiples of 16, fewer than 1024 groups.
    return a_AK.data.size(1) % 16 == 0 && b_EQK.data.size(1) % 16 == 0 && b_EQK.data.size(0) < 1024;
}

torch::Tensor fp8GroupedMatmul(const Fp8Tensor& a_AK, const Fp8Tensor& b_EQK,
                               const torch::Tensor& ends_E, torch::ScalarType outType) {
    if (!nativeFp8GroupedMatmul(a_AK, b_EQK))
        return fp8GroupedMatmulEmulated(a_AK, b_EQK, ends_E, outType);
    // Row-wise inverse scales only, so a whole-tensor (or whole-expert) scale is spread over
    // the rows; b column-major per expert. The kernel writes bf16.
    const int64_t rows = a_AK.data.size(0), experts = b_EQK.data.size(0);
    const int64_t columns = b_EQK.data.size(1);
    torch::Tensor scaleA = a_AK.scale.reciprocal().expand({rows, 1}).reshape({rows}).contiguous();
    torch::Tensor scaleB = b_EQK.scale.reciprocal()
                               .expand({experts, columns, 1})
                               .reshape({experts, columns})
                               .contiguous();
    return at::_scaled_grouped_mm(a_AK.data.contiguous(), b_EQK.data.contiguous().transpose(1, 2),
                                  scaleA, scaleB, ends_E, {}, {}, torch::kBFloat16)
        .to(outType);
}

torch::Tensor fp8GroupedMatmulEmulated(const Fp8Tensor& a_AK, const Fp8Tensor& b_EQK,
                                       const torch::Tensor& ends_E, torch::ScalarType outType) {
    torch::ScalarType type = emulationType(a_AK.data);
    return at::_grouped_mm(a_AK.dequantize(type), b_EQK.dequantize(type).transpose(1, 2), ends_E)
        .to(outType);
}

torch::Tensor fp8GroupedWeightGradient(const Fp8Tensor& g_OA, const Fp8Tensor& x_IA,
                                       const torch::Tensor& ends_E, torch::ScalarType outType) {
    torch::ScalarType type = emulationType(g_OA.data);
    // The layouts _grouped_mm takes whatever the tensors' shapes: g column-major, x row-major.
    torch::Tensor g = g_OA.dequantize(type).t().contiguous().t();
    torch::Tensor x = x_IA.dequantize(type).t().contiguous();
    return at::_grouped_mm(g, x, ends_E).to(outType);
}

}  // namespace strata::train
