// ggml's tensor encodings to float32 and back, value for value as ggml's reference code and the
// gguf Python package compute them (the tests compare bit for bit). Blocks are laid out as ggml's
// C structs are: Q8_0 {f16 d; int8 q[32]}, Q4_0 {f16 d; 4-bit q[32] as 16 bytes}, Q4_1 {f16 d, m;
// 4-bit q[32]}, and the 256-value K-quants, whose sub-blocks carry 6-bit scales (Q4_K, Q5_K) or
// 8-bit scales (Q6_K) under one f16 super-block scale.
#pragma once

#include "core/gguf/gguf_file.h"

#include <cstdint>
#include <span>

namespace strata::gguf {

// Decodes `out.size()` values of `type` from `data` (ggmlTypeBytes(type, out.size()) bytes; the
// count must be whole blocks).
void dequantize(GgmlType type, const uint8_t* data, std::span<float> out);

// Encodes `values` (whole blocks) as `type` into `out` (ggmlTypeBytes(type, values.size())
// bytes). Strata writes F32, F16, BF16 and Q8_0.
void quantize(GgmlType type, std::span<const float> values, uint8_t* out);

// IEEE half and bfloat16 conversions as ggml rounds them (to nearest even).
float halfToFloat(uint16_t half);
uint16_t floatToHalf(float value);
uint16_t floatToBfloat16(float value);

}  // namespace strata::gguf
