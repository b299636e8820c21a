// The one place that decides the arithmetic of a training step:
//   fp32  everything in fp32
//   bf16  autocast around the forward pass and loss: matrix products in bf16; reductions, norms
//         and the loss in fp32; weights, gradients and optimizer state fp32
//   fp16  the same in fp16, with dynamic loss scaling (loss_scaler.h): overflowing steps are
//         skipped and counted
//   fp8   the projections and experts in FP8 (fp8_training.h, core/train/fp8.md); the rest as
//         bf16 on CUDA and fp32 on the CPU
// A trainer opens a forward scope around the forward pass, backpropagates lossForBackward(),
// asks gradientsFinite() before clipping and calls finishStep() once the step is decided.
#pragma once

#include "core/model/safetensors.h"
#include "core/run/metrics_sink.h"
#include "core/run/run_config.h"
#include "core/train/fp8_training.h"
#include "core/train/loss_scaler.h"

#include <torch/nn/module.h>
#include <torch/types.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace strata::train {

class PrecisionPolicy {
public:
    // Resolves Precision::Auto for the device: bf16 on CUDA, fp32 elsewhere. FP8 on a device
    // without FP8 matrix units is a common::Error unless fp8.allow_emulation is set.
    PrecisionPolicy(const run::RunConfig& config, torch::Device device);

    run::Precision precision() const { return m_precision; }
    // "bf16", "fp8 (rowwise, emulated)", ...
    std::string name() const;

    // FP8 quantizes the weights of this model (call once, before the first forward scope).
    void trainModel(torch::nn::Module& model);

    // Autocast, and FP8's products, for the forward pass while alive.
    class ForwardScope {
    public:
        ForwardScope(const PrecisionPolicy& policy);
        ~ForwardScope();
        ForwardScope(const ForwardScope&) = delete;
        ForwardScope& operator=(const ForwardScope&) = delete;

    private:
        c10::DeviceType m_deviceType;
        std::optional<c10::ScalarType> m_autocastType;
        bool m_wasEnabled = false;
        c10::ScalarType m_previousDtype = c10::ScalarType::Undefined;
        std::optional<model::MatmulOverrideScope> m_fp8;
    };
    ForwardScope forwardScope() const { return ForwardScope(*this); }

    // What to call backward() on: the loss, times the loss scale in fp16.
    torch::Tensor lossForBackward(const torch::Tensor& loss) const;
    // fp16: divides the gradients by the loss scale and says whether they are all finite (a step
    // that is not is skipped); where ranks hold different gradients (expert parallelism),
    // onEveryRank turns this rank's answer into the run's, so every rank skips and rescales alike.
    // Other precisions: true.
    bool gradientsFinite(const std::vector<torch::Tensor>& parameters,
                         const std::function<bool(bool)>& onEveryRank = {});
    // Ends the step and adds what the precision reports to its metrics: the step's loss scale
    // and the overflowing steps so far (fp16), each FP8 layer's statistics.
    void finishStep(run::StepMetrics& metrics);

    // What a checkpoint keeps: the loss scaler and the delayed-scaling histories.
    model::NamedTensors state() const;
    // Restores state(); `source` names the file for errors.
    void loadState(const model::NamedTensors& tensors, const std::string& source);

private:
    std::optional<c10::ScalarType> autocastType() const;

    run::Precision m_precision;
    torch::Device m_device;
    run::Fp8Config m_fp8Config;
    std::optional<LossScaler> m_lossScaler;
    std::unique_ptr<Fp8Training> m_fp8;
    bool m_gradientsFinite = true;  // gradientsFinite()'s answer for this step
};

}  // namespace strata::train
