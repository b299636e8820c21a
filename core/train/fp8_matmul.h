// FP8 matrix products: a times b transposed, both operands laid out (rows, contraction) and
// accumulated in fp32. fp8Matmul() takes at::_scaled_mm where the device runs these operands
// natively (whole-tensor scales: FP8 tensor cores on Ada and Hopper, PyTorch's own kernel on
// the CPU; row-wise scales on Hopper; DeepSeek-V3's 1x128 tiles and 128x128 blocks on Hopper,
// in whole tiles); everywhere else it runs fp8MatmulEmulated(), the
// reference the tests compare it with: both operands dequantized — exactly, the scales being
// powers of two — and multiplied in fp32 (bf16 operands with fp32 accumulation on CUDA).
// P rows of a, Q rows of b, K contraction, E experts.
#pragma once

#include "core/train/fp8_quantization.h"

namespace strata::train {

// Whether this device has FP8 matrix units (CUDA compute capability 8.9 or newer).
bool deviceHasFp8(const torch::Device& device);

// Whether a recipe's dense products run natively on this device, the shapes permitting:
// whole-tensor scales wherever there are FP8 units, row-wise ones on Hopper and newer,
// block-wise ones on Hopper.
bool nativeFp8Recipe(run::Fp8Recipe recipe, const torch::Device& device);

// Whether at::_scaled_mm takes these operands on their device.
bool nativeFp8Matmul(const Fp8Tensor& a_PK, const Fp8Tensor& b_QK);

// (P, Q) in outType.
torch::Tensor fp8Matmul(const Fp8Tensor& a_PK, const Fp8Tensor& b_QK, torch::ScalarType outType);
torch::Tensor fp8MatmulEmulated(const Fp8Tensor& a_PK, const Fp8Tensor& b_QK,
                                torch::ScalarType outType);

// Whether at::_scaled_grouped_mm takes these operands: Hopper, E4M3, row-wise or whole-tensor
// scales (a per row, b per row of each expert), sizes in multiples of 16.
bool nativeFp8GroupedMatmul(const Fp8Tensor& a_AK, const Fp8Tensor& b_EQK);

// Rows grouped by expert (group e ends at ends_E[e], int32, the last end being A) times each
// expert's b transposed: (A, Q) in outType. Native where nativeFp8GroupedMatmul says so,
// otherwise fp8GroupedMatmulEmulated().
torch::Tensor fp8GroupedMatmul(const Fp8Tensor& a_AK, const Fp8Tensor& b_EQK,
                               const torch::Tensor& ends_E, torch::ScalarType outType);
torch::Tensor fp8GroupedMatmulEmulated(const Fp8Tensor& a_AK, const Fp8Tensor& b_EQK,
                                       const torch::Tensor& ends_E, torch::ScalarType outType);

// The experts' weight gradients: for each group of rows (tokens), g's columns times x's
// columns transposed — (E, O, I) in outType from g laid out (O, A) and x laid out (I, A),
// emulated on every device.
torch::Tensor fp8GroupedWeightGradient(const Fp8Tensor& g_OA, const Fp8Tensor& x_IA,
                                       const torch::Tensor& ends_E, torch::ScalarType outType);

}  // namespace strata::train
