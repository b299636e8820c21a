// The one place that decides the arithmetic of a training step. Today: fp32 everywhere, or bf16
// autocast around the forward pass and loss (matrix products in bf16, reductions, norms and the
// loss in fp32; weights, gradients and optimizer state stay fp32). FP16 with loss scaling and FP8
// plug in here: the trainer only opens a forward scope and asks this policy for the loss to
// backpropagate.
#pragma once

#include "core/train/run_config.h"

#include <torch/types.h>

#include <string>

namespace strata::train {

class PrecisionPolicy {
public:
    // Resolves Precision::Auto for the device: bf16 on CUDA, fp32 elsewhere.
    PrecisionPolicy(Precision precision, torch::Device device);

    Precision precision() const { return m_precision; }
    std::string name() const { return precisionName(m_precision); }
    // Bytes of one saved activation, for the memory estimate.
    int activationBytes() const { return m_precision == Precision::Bf16 ? 2 : 4; }

    // Autocast for the forward pass while alive; nothing in fp32.
    class ForwardScope {
    public:
        ForwardScope(const PrecisionPolicy& policy);
        ~ForwardScope();
        ForwardScope(const ForwardScope&) = delete;
        ForwardScope& operator=(const ForwardScope&) = delete;

    private:
        c10::DeviceType m_deviceType;
        bool m_active;
        bool m_wasEnabled = false;
        c10::ScalarType m_previousDtype = c10::ScalarType::Undefined;
    };
    ForwardScope forwardScope() const { return ForwardScope(*this); }

private:
    Precision m_precision;
    torch::Device m_device;
};

}  // namespace strata::train
