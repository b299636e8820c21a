#include "core/gguf/gguf_quants.h"

#include "core/common/error.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace strata::gguf {

using common::fail;

namespace {

constexpr int64_t kBlock = 32;        // values of a Q4_0, Q4_1 or Q8_0 block
constexpr int64_t kSuperBlock = 256;  // values of a K-quant block

uint16_t loadU16(const uint8_t* at) {
    uint16_t value;
    std::memcpy(&value, at, 2);
    return value;
}

void storeU16(uint8_t* at, uint16_t value) {
    std::memcpy(at, &value, 2);
}

// The 6-bit scale and minimum of sub-block j (0..7) of a Q4_K or Q5_K block, from its 12 packed
// bytes: j < 4 in the low six bits of bytes j and j + 4, j >= 4 in the nibbles of byte j + 4 with
// the top two bits from bytes j - 4 and j.
void scaleAndMin(const uint8_t* packed, int j, uint8_t& scale, uint8_t& minimum) {
    if (j < 4) {
        scale = packed[j] & 63;
        minimum = packed[j + 4] & 63;
    } else {
        scale = (packed[j + 4] & 0x0F) | ((packed[j - 4] >> 2) & 0x30);
        minimum = (packed[j + 4] >> 4) | ((packed[j] >> 2) & 0x30);
    }
}

void dequantizeQ4_0(const uint8_t* block, float* out) {
    float d = halfToFloat(loadU16(block));
    const uint8_t* q = block + 2;
    for (int i = 0; i < kBlock / 2; ++i) {
        out[i] = d * float(int(q[i] & 0x0F) - 8);
        out[i + kBlock / 2] = d * float(int(q[i] >> 4) - 8);
    }
}

void dequantizeQ4_1(const uint8_t* block, float* out) {
    float d = halfToFloat(loadU16(block)), m = halfToFloat(loadU16(block + 2));
    const uint8_t* q = block + 4;
    for (int i = 0; i < kBlock / 2; ++i) {
        out[i] = d * float(q[i] & 0x0F) + m;
        out[i + kBlock / 2] = d * float(q[i] >> 4) + m;
    }
}

void dequantizeQ8_0(const uint8_t* block, float* out) {
    float d = halfToFloat(loadU16(block));
    for (int i = 0; i < kBlock; ++i)
        out[i] = float(int8_t(block[2 + i])) * d;
}

// Q4_K: {f16 d, dmin; scales[12]; qs[128]}: 4 chunks of 32 bytes, each the low nibbles of one
// sub-block then the high nibbles of the next.
void dequantizeQ4_K(const uint8_t* block, float* out) {
    float d = halfToFloat(loadU16(block)), dmin = halfToFloat(loadU16(block + 2));
    const uint8_t* scales = block + 4;
    const uint8_t* qs = block + 16;
    for (int sub = 0; sub < 8; ++sub) {
        uint8_t scale, minimum;
        scaleAndMin(scales, sub, scale, minimum);
        float step = d * float(scale), offset = dmin * float(minimum);
        const uint8_t* chunk = qs + (sub / 2) * 32;
        int shift = (sub % 2) * 4;
        for (int i = 0; i < 32; ++i)
            out[sub * 32 + i] = step * float((chunk[i] >> shift) & 0x0F) - offset;
    }
}

// Q5_K: Q4_K's layout with qh[32] before qs: bit `sub` of qh[i] is the fifth bit of value i of
// sub-block `sub`.
void dequantizeQ5_K(const uint8_t* block, float* out) {
    float d = halfToFloat(loadU16(block)), dmin = halfToFloat(loadU16(block + 2));
    const uint8_t* scales = block + 4;
    const uint8_t* qh = block + 16;
    const uint8_t* qs = block + 48;
    for (int sub = 0; sub < 8; ++sub) {
        uint8_t scale, minimum;
        scaleAndMin(scales, sub, scale, minimum);
        float step = d * float(scale), offset = dmin * float(minimum);
        const uint8_t* chunk = qs + (sub / 2) * 32;
        int shift = (sub % 2) * 4;
        for (int i = 0; i < 32; ++i) {
            int q = ((chunk[i] >> shift) & 0x0F) | (((qh[i] >> sub) & 1) << 4);
            out[sub * 32 + i] = step * float(q) - offset;
        }
    }
}

// Q6_K: {ql[128]; qh[64]; int8 scales[16]; f16 d}, two halves of 128 values: value r of a half
// takes four low bits from ql (nibble r / 64 of byte r % 64) and two high bits from qh (bits
// 2 * (r / 32) of byte r % 32); every 16 values share a scale.
void dequantizeQ6_K(const uint8_t* block, float* out) {
    const uint8_t* ql = block;
    const uint8_t* qh = block + 128;
    const auto* scales = reinterpret_cast<const int8_t*>(block + 192);
    float d = halfToFloat(loadU16(block + 208));
    for (int p = 0; p < kSuperBlock; ++p) {
        int half = p / 128, r = p % 128;
        int low = (ql[half * 64 + r % 64] >> (4 * (r / 64))) & 0x0F;
        int high = (qh[half * 32 + r % 32] >> (2 * (r / 32))) & 0x03;
        out[p] = (d * float(scales[p / 16])) * float(int8_t(low | (high << 4)) - 32);
    }
}

// ggml_fp32_to_fp16's roundf for Q8_0: half away from zero.
void quantizeQ8_0(const float* values, uint8_t* block) {
    float absMax = 0;
    for (int i = 0; i < kBlock; ++i)
        absMax = std::max(absMax, std::fabs(values[i]));
    float d = absMax / 127.0f;
    float inverse = d != 0.0f ? 1.0f / d : 0.0f;
    storeU16(block, floatToHalf(d));
    for (int i = 0; i < kBlock; ++i)
        block[2 + i] = uint8_t(int8_t(std::roundf(values[i] * inverse)));
}

}  // namespace

float halfToFloat(uint16_t half) {
    uint32_t sign = uint32_t(half & 0x8000) << 16;
    uint32_t exponent = (half >> 10) & 0x1F;
    uint32_t mantissa = half & 0x3FF;
    uint32_t bits;
    if (exponent == 0x1F) {
        bits = sign | 0x7F800000 | (mantissa << 13);
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;
    } else {  // subnormal: mantissa * 2^-24, exact in float
        float value = std::ldexp(float(mantissa), -24);
        return sign ? -value : value;
    }
    return std::bit_cast<float>(bits);
}

uint16_t floatToHalf(float value) {
    uint32_t bits = std::bit_cast<uint32_t>(value);
    uint16_t sign = uint16_t((bits >> 16) & 0x8000);
    uint32_t magnitude = bits & 0x7FFFFFFF;
    if (magnitude > 0x7F800000) return sign | 0x7E00;   // NaN
    if (magnitude >= 0x47800000) return sign | 0x7C00;  // overflows to infinity (or is one)
    if (magnitude < 0x38800000) {                       // a half subnormal or zero
        // Scaling by 2^24 puts the half's last mantissa bit at 1; nearbyint rounds to even.
        float scaled = std::bit_cast<float>(magnitude) * 16777216.0f;
        return sign | uint16_t(std::nearbyint(scaled));
    }
    uint32_t rounded = magnitude + 0x0FFF + ((magnitude >> 13) & 1);  // to nearest even
    return sign | uint16_t((rounded - 0x38000000) >> 13);
}

uint16_t floatToBfloat16(float value) {
    uint32_t bits = std::bit_cast<uint32_t>(value);
    if ((bits & 0x7FFFFFFF) > 0x7F800000) return uint16_t((bits >> 16) | 64);  // quiet NaN
    return uint16_t((uint64_t(bits) + 0x7FFF + ((bits >> 16) & 1)) >> 16);
}

void dequantize(GgmlType type, const uint8_t* data, std::span<float> out) {
    const GgmlTypeTraits& traits = ggmlTypeTraits(type);
    int64_t count = int64_t(out.size());
    if (count % traits.blockElements != 0)
        fail("{} values are not whole {} blocks", count, traits.name);
    float* to = out.data();
    int64_t blocks = count / traits.blockElements;
    switch (type) {
        case GgmlType::F32:
            std::memcpy(to, data, size_t(count) * 4);
            return;
        case GgmlType::F16:
            for (int64_t i = 0; i < count; ++i)
                to[i] = halfToFloat(loadU16(data + 2 * i));
            return;
        case GgmlType::BF16:
            for (int64_t i = 0; i < count; ++i)
                to[i] = std::bit_cast<float>(uint32_t(loadU16(data + 2 * i)) << 16);
            return;
        default:
            break;
    }
    void (*decode)(const uint8_t*, float*) = nullptr;
    switch (type) {
        case GgmlType::Q4_0:
            decode = dequantizeQ4_0;
            break;
        case GgmlType::Q4_1:
            decode = dequantizeQ4_1;
            break;
        case GgmlType::Q8_0:
            decode = dequantizeQ8_0;
            break;
        case GgmlType::Q4_K:
            decode = dequantizeQ4_K;
            break;
        case GgmlType::Q5_K:
            decode = dequantizeQ5_K;
            break;
        case GgmlType::Q6_K:
            decode = dequantizeQ6_K;
            break;
        default:
            fail("ggml type {} has no decoder", traits.name);
    }
    for (int64_t b = 0; b < blocks; ++b)
        decode(data + b * traits.blockBytes, to + b * traits.blockElements);
}

void quantize(GgmlType type, std::span<const float> values, uint8_t* out) {
    const GgmlTypeTraits& traits = ggmlTypeTraits(type);
    int64_t count = int64_t(values.size());
    if (count % traits.blockElements != 0)
        fail("{} values are not whole {} blocks", count, traits.name);
    const float* from = values.data();
    switch (type) {
        case GgmlType::F32:
            std::memcpy(out, from, size_t(count) * 4);
            return;
        case GgmlType::F16:
            for (int64_t i = 0; i < count; ++i)
                storeU16(out + 2 * i, floatToHalf(from[i]));
            return;
        case GgmlType::BF16:
            for (int64_t i = 0; i < count; ++i)
                storeU16(out + 2 * i, floatToBfloat16(from[i]));
            return;
        case GgmlType::Q8_0:
            for (int64_t b = 0; b < count / kBlock; ++b)
                quantizeQ8_0(from + b * kBlock, out + b * traits.blockBytes);
            return;
        default:
            fail("Strata does not write {} tensors (it writes F32, F16, BF16 and Q8_0)",
                 traits.name);
    }
}

}  // namespace strata::gguf
