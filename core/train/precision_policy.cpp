#include "core/train/precision_policy.h"

#include <ATen/autocast_mode.h>

namespace strata::train {

PrecisionPolicy::PrecisionPolicy(Precision precision, torch::Device device)
    : m_precision(precision), m_device(device) {
    if (m_precision == Precision::Auto)
        m_precision = device.is_cuda() ? Precision::Bf16 : Precision::Fp32;
}

PrecisionPolicy::ForwardScope::ForwardScope(const PrecisionPolicy& policy)
    : m_deviceType(policy.m_device.type()), m_active(policy.m_precision == Precision::Bf16) {
    if (!m_active) return;
    m_wasEnabled = at::autocast::is_autocast_enabled(m_deviceType);
    m_previousDtype = at::autocast::get_autocast_dtype(m_deviceType);
    at::autocast::set_autocast_dtype(m_deviceType, at::kBFloat16);
    at::autocast::set_autocast_enabled(m_deviceType, true);
    at::autocast::increment_nesting();
}

PrecisionPolicy::ForwardScope::~ForwardScope() {
    if (!m_active) return;
    // Leaving the outermost scope frees the bf16 copies of the weights autocast cached.
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    at::autocast::set_autocast_enabled(m_deviceType, m_wasEnabled);
    at::autocast::set_autocast_dtype(m_deviceType, m_previousDtype);
}

}  // namespace strata::train
