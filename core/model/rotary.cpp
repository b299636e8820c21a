#include "core/model/rotary.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace strata::model {

namespace {

using model_spec::RopeScaling;

// Llama 3.1's: frequencies whose wavelength exceeds the pretraining context / lowFreqFactor are
// divided by factor, those under context / highFreqFactor kept, those between blended.
torch::Tensor llama3Frequencies(const torch::Tensor& inverse, const RopeScaling& s) {
    double context = s.originalContextLength;
    double lowWavelength = context / s.lowFreqFactor, highWavelength = context / s.highFreqFactor;
    torch::Tensor wavelength = 2 * std::numbers::pi / inverse;
    torch::Tensor scaled = torch::where(wavelength > lowWavelength, inverse / s.factor, inverse);
    torch::Tensor smooth =
        (context / wavelength - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
    torch::Tensor blended = (1 - smooth) * scaled / s.factor + smooth * scaled;
    torch::Tensor medium = (wavelength >= highWavelength) & (wavelength <= lowWavelength);
    return torch::where(medium, blended, scaled);
}

// YaRN (Peng et al., 2023): dimensions rotating fewer than betaSlow times over the pretraining
// context are interpolated, those rotating more than betaFast times kept, a linear ramp between.
RotaryFrequencies yarnFrequencies(const torch::Tensor& inverse, int64_t headDim, double base,
                                  const RopeScaling& s) {
    auto correctionDim = [&](double rotations) {
        return double(headDim) *
               std::log(double(s.originalContextLength) / (rotations * 2 * std::numbers::pi)) /
               (2 * std::log(base));
    };
    double low = correctionDim(s.betaFast), high = correctionDim(s.betaSlow);
    if (s.truncate) {
        low = std::floor(low);
        high = std::ceil(high);
    }
    low = std::max(low, 0.0);
    high = std::min(high, double(headDim - 1));
    if (low == high) high += 0.001;  // as transformers does, to keep the ramp finite
    torch::Tensor ramp =
        ((torch::arange(headDim / 2, torch::kFloat32) - low) / (high - low)).clamp(0, 1);
    torch::Tensor extrapolated = 1 - ramp;
    torch::Tensor interpolated = inverse / s.factor;
    RotaryFrequencies out;
    out.inverse_Dh2 = interpolated * (1 - extrapolated) + inverse * extrapolated;
    if (s.attentionFactor > 0)
        out.attentionFactor = s.attentionFactor;
    else if (s.mscale > 0 && s.mscaleAllDim > 0)
        out.attentionFactor = yarnMscale(s.factor, s.mscale) / yarnMscale(s.factor, s.mscaleAllDim);
    else
        out.attentionFactor = yarnMscale(s.factor, 1.0);
    return out;
}

}  // namespace

double yarnMscale(double factor, double mscale) {
    return factor <= 1 ? 1.0 : 0.1 * mscale * std::log(factor) + 1.0;
}

RotaryFrequencies rotaryFrequencies(int64_t headDim, double base, const RopeScaling& scaling) {
    TORCH_CHECK(headDim % 2 == 0, "RotaryEmbedding needs an even head dim, got ", headDim);
    torch::Tensor exponent =
        torch::arange(0, headDim, 2, torch::kInt64).to(torch::kFloat32) / double(headDim);
    torch::Tensor inverse = 1.0 / torch::pow(base, exponent);
    switch (scaling.kind) {
        case model_spec::RopeScalingKind::None:
            return {inverse};
        case model_spec::RopeScalingKind::Linear:
            return {inverse / scaling.factor};
        case model_spec::RopeScalingKind::Llama3:
            return {llama3Frequencies(inverse, scaling)};
        case model_spec::RopeScalingKind::Yarn:
            return yarnFrequencies(inverse, headDim, base, scaling);
    }
    TORCH_CHECK(false, "unknown rotary scaling");
}

RotaryEmbeddingImpl::RotaryEmbeddingImpl(int64_t headDim, double base, const RopeScaling& scaling)
    : m_headDim(headDim) {
    RotaryFrequencies frequencies = rotaryFrequencies(headDim, base, scaling);
    m_attentionFactor = frequencies.attentionFactor;
    m_inverse_Dh2 = register_buffer("inverse_frequency", frequencies.inverse_Dh2);
}

torch::Tensor rotate(const torch::Tensor& x_BHTDh, const Rotation& rotation) {
    torch::Tensor swapped = x_BHTDh.unflatten(-1, {2, -1}).flip(-2).flatten(-2);
    torch::Tensor cos = rotation.cos.to(x_BHTDh.scalar_type());
    return torch::addcmul(x_BHTDh * cos, swapped, rotation.sinSigned.to(x_BHTDh.scalar_type()));
}

Rotation RotaryEmbeddingImpl::rotation(int64_t offset, int64_t length) const {
    TORCH_CHECK(offset >= 0, "RotaryEmbedding: negative offset ", offset);
    return rotationAt(torch::arange(offset, offset + length, m_inverse_Dh2.device()));
}

Rotation RotaryEmbeddingImpl::rotation(const torch::Tensor& positions_BT) const {
    TORCH_CHECK(positions_BT.dim() == 2, "RotaryEmbedding expects (B,T) positions, got ",
                positions_BT.sizes());
    return rotationAt(positions_BT.unsqueeze(1));  // (B, 1, T): broadcast over heads
}

torch::Tensor RotaryEmbeddingImpl::forward(const torch::Tensor& x_BHTDh, int64_t offset) {
    TORCH_CHECK(x_BHTDh.dim() == 4 && x_BHTDh.size(3) == m_headDim,
                "RotaryEmbedding expects (B,H,T,", m_headDim, "), got ", x_BHTDh.sizes());
    return rotate(x_BHTDh, rotation(offset, x_BHTDh.size(2)));
}

torch::Tensor RotaryEmbeddingImpl::forward(const torch::Tensor& x_BHTDh,
                                           const torch::Tensor& positions_BT) {
    TORCH_CHECK(x_BHTDh.dim() == 4 && x_BHTDh.size(3) == m_headDim &&
                    positions_BT.sizes() == torch::IntArrayRef({x_BHTDh.size(0), x_BHTDh.size(2)}),
                "RotaryEmbedding expects (B,H,T,", m_headDim, ") and (B,T) positions, got ",
                x_BHTDh.sizes(), " and ", positions_BT.sizes());
    return rotate(x_BHTDh, rotation(positions_BT));
}

Rotation RotaryEmbeddingImpl::rotationAt(const torch::Tensor& positions) const {
    torch::Tensor angles = positions.to(torch::kFloat32).unsqueeze(-1) * m_inverse_Dh2;
    torch::Tensor cos = angles.cos() * m_attentionFactor, sin = angles.sin() * m_attentionFactor;
    return {torch::cat({cos, cos}, -1), torch::cat({-sin, sin}, -1)};
}

}  // namespace strata::model
