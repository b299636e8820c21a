#include "core/train/fp8_matmul.h"

#include <ATen/ops/_grouped_mm.h>
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

}  // namespace

bool deviceHasFp8(const torch::Device& device) {
    return computeCapability(device) >= 89;
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
    const bool rowwise = a_PK.tile == kPerRow && b_QK.tile == kPerRow &&
                         a_PK.format == run::Fp8Format::E4M3 && b_QK.format == run::Fp8Format::E4M3;
    return rowwise && computeCapability(device) >= 90;
}

torch::Tensor fp8Matmul(const Fp8Tensor& a_PK, const Fp8Tensor& b_QK, torch::ScalarType outType) {
    if (!nativeFp8Matmul(a_PK, b_QK)) return fp8MatmulEmulated(a_PK, b_QK, outType);
    // _scaled_mm multiplies by the inverse scales; a row-major, b column-major.
    torch::Tensor a = a_PK.data.contiguous();
    torch::Tensor bT = b_QK.data.contiguous().t();
    torch::Tensor inverseA = a_PK.scale.reciprocal();  // (1, 1) or (P, 1)
    torch::Tensor inverseB = b_QK.scale.reciprocal();  // (1, 1) or (Q, 1)
    if (a_PK.wholeTensor())
        return at::_scaled_mm(a, bT, inverseA.reshape({}), inverseB.reshape({}), {}, {}, outType);
    // Row-wise scaling writes bf16 only.
    return at::_scaled_mm(a, bT, inverseA, inverseB.t().contiguous(), {}, {}, torch::kBFloat16)
        .to(outType);
}

torch::Tensor fp8MatmulEmulated(const Fp8Tensor& a_PK, const Fp8Tensor& b_QK,
                                torch::ScalarType outType) {
    torch::ScalarType type = emulationType(a_PK.data);
    return torch::matmul(a_PK.dequantize(type), b_QK.dequantize(type).transpose(-2, -1))
        .to(outType);
}

torch::Tensor fp8GroupedMatmul(const Fp8Tensor& a_AK, const Fp8Tensor& b_EQK,
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
