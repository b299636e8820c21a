// Where the scales of one FP8 operand of a layer — its inputs, its weights or its output
// gradients — come from, and what that operand looked like over a training step.
//   dynamic (tensorwise, rowwise, blockwise): each quantization scales by its own tiles' amax.
//   delayed: one scale per matrix from the amax history of the last amax_history steps (their
//   largest, or the newest), divided by 2^margin, as Transformer Engine's delayed scaling; until
//   a matrix has history its current amax is used. The step's amax joins the history at
//   endStep(), so every micro-batch of a step uses the same scale.
// Only quantizations given counts are recorded (the training products; validation passes read
// the scales without moving them). M matrices (the experts of a grouped weight, else 1), H history
// length.
#pragma once

#include "core/run/precision_config.h"
#include "core/train/fp8_quantization.h"

namespace strata::train {

class Fp8Scaling {
public:
    Fp8Scaling(const run::Fp8Config& config, run::Fp8Format format, int64_t numMatrices,
               torch::Device device);

    // x (R,C), or (M,R,C) for one scale set per matrix, rounded with tiles of `tile` (the
    // delayed recipe always scales whole matrices). With counts, the quantization is recorded:
    // its amax and scale in the step's, its overflows and underflows in counts.
    Fp8Tensor quantize(const torch::Tensor& x, Fp8Tile tile, Fp8Counts* counts);
    // Ends the step: its amax joins the history (delayed).
    void endStep();

    // The step's largest |value| and the smallest scale used on it (the one of the tile holding
    // that value), as fp32 scalars on the device; 0 and 0 when nothing was quantized.
    torch::Tensor stepAmax() const;
    torch::Tensor stepScale() const;

    bool delayed() const { return m_delayed; }
    // (M, H), newest first; delayed only.
    const torch::Tensor& history() const { return m_history_MH; }
    void setHistory(const torch::Tensor& history_MH);

private:
    run::Fp8Format m_format;
    bool m_delayed;
    run::AmaxCompute m_compute;
    int m_margin;
    torch::Tensor m_history_MH;
    torch::Tensor m_stepAmax_M;  // per matrix, this step's largest |value| so far
    torch::Tensor m_stepScale;   // the smallest scale used this step
    bool m_recorded = false;
};

}  // namespace strata::train
