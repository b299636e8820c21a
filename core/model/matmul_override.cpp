#include "core/model/matmul_override.h"

#include <ATen/ops/_grouped_mm.h>

namespace strata::model {

namespace {

thread_local MatmulOverride* t_override = nullptr;

}  // namespace

MatmulOverrideScope::MatmulOverrideScope(MatmulOverride* override) : m_previous(t_override) {
    t_override = override;
}

MatmulOverrideScope::~MatmulOverrideScope() {
    t_override = m_previous;
}

MatmulOverride* currentMatmulOverride() {
    return t_override;
}

torch::Tensor project(const torch::nn::Linear& layer, const torch::Tensor& x) {
    if (t_override) {
        torch::Tensor y = t_override->linear(x, layer->weight);
        if (y.defined()) return layer->bias.defined() ? y + layer->bias.to(y.scalar_type()) : y;
    }
    return layer.ptr()->forward(x);
}

torch::Tensor groupedProject(const torch::Tensor& rows_AI, const torch::Tensor& weight_EOI,
                             const torch::Tensor& ends_E, torch::ScalarType type) {
    if (t_override) {
        torch::Tensor y = t_override->groupedLinear(rows_AI, weight_EOI, ends_E);
        if (y.defined()) return y;
    }
    return at::_grouped_mm(rows_AI.to(type), weight_EOI.to(type).transpose(1, 2), ends_E);
}

}  // namespace strata::model
