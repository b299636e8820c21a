#include "core/train/fp8_scaling.h"

#include <torch/torch.h>

namespace strata::train {

Fp8Scaling::Fp8Scaling(const run::Fp8Config& config, run::Fp8Format format, int64_t numMatrices,
                       torch::Device device)
    : m_format(format),
      m_delayed(config.recipe == run::Fp8Recipe::Delayed),
      m_compute(config.amaxCompute),
      m_margin(m_delayed ? config.margin : 0) {
    auto options = torch::TensorOptions().device(device).dtype(torch::kFloat32);
    m_stepAmax_M = torch::zeros({numMatrices}, options);
    m_stepScale = torch::zeros({}, options);
    if (m_delayed) m_history_MH = torch::zeros({numMatrices, config.amaxHistory}, options);
}

Fp8Tensor Fp8Scaling::quantize(const torch::Tensor& x, Fp8Tile tile, Fp8Counts* counts) {
    if (m_delayed) tile = kWholeTensor;
    torch::Tensor amax = tileAmax(x, tile);
    torch::Tensor scale;
    if (m_delayed) {
        torch::Tensor known_M =
            m_compute == run::AmaxCompute::Max ? m_history_MH.amax(1) : m_history_MH.select(1, 0);
        torch::Tensor amax_M = amax.reshape({-1});
        torch::Tensor used_M = torch::where(known_M > 0, known_M, amax_M);
        scale = scaleForAmax(used_M, m_format, m_margin).view(amax.sizes());
    } else {
        scale = scaleForAmax(amax, m_format);
    }
    Fp8Tensor quantized = train::quantize(x, m_format, tile, scale, counts);
    if (counts) {
        torch::Tensor matrixAmax_M = amax.reshape({m_stepAmax_M.size(0), -1}).amax(1);
        m_stepAmax_M = torch::maximum(m_stepAmax_M, matrixAmax_M);
        // The scale of the tile that holds the amax (all-zero tiles keep a scale of 1).
        torch::Tensor largest = scale.reshape({-1}).index({amax.reshape({-1}).argmax()});
        m_stepScale = m_recorded ? torch::minimum(m_stepScale, largest) : largest;
        m_recorded = true;
    }
    return quantized;
}

void Fp8Scaling::endStep() {
    if (!m_recorded) return;
    if (m_delayed)
        m_history_MH = torch::cat(
            {m_stepAmax_M.unsqueeze(1), m_history_MH.narrow(1, 0, m_history_MH.size(1) - 1)}, 1);
    m_stepAmax_M = torch::zeros_like(m_stepAmax_M);
    m_stepScale = torch::zeros_like(m_stepScale);
    m_recorded = false;
}

torch::Tensor Fp8Scaling::stepAmax() const {
    return m_stepAmax_M.max();
}

torch::Tensor Fp8Scaling::stepScale() const {
    return m_stepScale;
}

void Fp8Scaling::setHistory(const torch::Tensor& history_MH) {
    m_history_MH = history_MH.to(m_history_MH.device(), torch::kFloat32).clone();
}

}  // namespace strata::train
