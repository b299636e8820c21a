#include "core/train/fp8_linear.h"

#include "core/train/fp8_matmul.h"

#include <ATen/autocast_mode.h>
#include <c10/core/impl/LocalDispatchKeySet.h>
#include <torch/torch.h>

namespace strata::train {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

Fp8Tile activationTile(run::Fp8Recipe recipe) {
    switch (recipe) {
        case run::Fp8Recipe::Rowwise:
            return kPerRow;
        case run::Fp8Recipe::Blockwise:
            return kTile1x128;
        default:
            return kWholeTensor;
    }
}

Fp8Tile weightTile(run::Fp8Recipe recipe) {
    switch (recipe) {
        case run::Fp8Recipe::Rowwise:
            return kPerRow;
        case run::Fp8Recipe::Blockwise:
            return kBlock128x128;
        default:
            return kWholeTensor;
    }
}

// What a product writes: autocast's type where it is on (bf16 on CUDA), else the input's.
torch::ScalarType outputType(const torch::Tensor& x) {
    c10::DeviceType device = x.device().type();
    return at::autocast::is_autocast_enabled(device) ? at::autocast::get_autocast_dtype(device)
                                                     : x.scalar_type();
}

// The products below choose their own types; autocast must not recast them.
using NoAutocast = c10::impl::ExcludeDispatchKeyGuard;

void save(AutogradContext* ctx, const Fp8Tensor& input, const Fp8Tensor& weight) {
    ctx->save_for_backward({input.data, input.scale, weight.data, weight.scale});
}

struct SavedOperands {
    Fp8Tensor input, weight;
};

SavedOperands saved(AutogradContext* ctx, Fp8Tile inputTile, Fp8Tile weightTile) {
    tensor_list tensors = ctx->get_saved_variables();
    return {{tensors[0], tensors[1], inputTile, run::Fp8Format::E4M3},
            {tensors[2], tensors[3], weightTile, run::Fp8Format::E4M3}};
}

}  // namespace

Fp8Layer::Fp8Layer(std::string name, const run::Fp8Config& config, int64_t numMatrices,
                   torch::Device device)
    : m_name(std::move(name)),
      m_activationTile(activationTile(config.recipe)),
      m_weightTile(weightTile(config.recipe)),
      m_input(config, run::Fp8Format::E4M3, 1, device),
      m_weight(config, run::Fp8Format::E4M3, numMatrices, device),
      m_grad(config, run::fp8GradFormat(config), 1, device) {}

// The layer travels through the autograd graph as an address: the trainer's Fp8Training owns
// every layer for longer than any graph it records lives.
struct Fp8Layer::LinearFunction : public torch::autograd::Function<LinearFunction> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& weight_OI, Fp8Layer* layer,
                                 torch::ScalarType outType, bool training) {
        NoAutocast noAutocast(c10::autocast_dispatch_keyset);
        Fp8Counts* counts = training ? &layer->m_counts : nullptr;
        torch::Tensor x_NI = x.reshape({-1, x.size(-1)});
        Fp8Tensor input = layer->m_input.quantize(x_NI, layer->m_activationTile, counts);
        Fp8Tensor weight = layer->quantizedWeight(weight_OI, counts);
        save(ctx, input, weight);
        ctx->saved_data["layer"] = int64_t(reinterpret_cast<intptr_t>(layer));
        ctx->saved_data["input_type"] = x.scalar_type();
        ctx->saved_data["input_shape"] = x.sizes();
        std::vector<int64_t> shape(x.sizes().begin(), x.sizes().end() - 1);
        shape.push_back(weight_OI.size(0));
        return fp8Matmul(input, weight, outType).view(shape);
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
        NoAutocast noAutocast(c10::autocast_dispatch_keyset);
        auto* layer = reinterpret_cast<Fp8Layer*>(ctx->saved_data["layer"].toInt());
        auto [input, weight] = saved(ctx, layer->m_activationTile, layer->m_weightTile);
        torch::Tensor g_NO = grads[0].reshape({-1, weight.data.size(0)});
        auto [grad, gradT] = layer->quantizeGradients(g_NO);
        torch::Tensor dx_NI = fp8Matmul(grad, weight.transposed(layer->m_weightTile),
                                        ctx->saved_data["input_type"].toScalarType());
        // The weight gradient contracts over the rows: the inputs re-tiled along them too.
        torch::Tensor dw_OI =
            fp8Matmul(gradT, input.transposed(layer->m_activationTile), torch::kFloat32);
        return {dx_NI.view(ctx->saved_data["input_shape"].toIntVector()), dw_OI, {}, {}, {}};
    }
};

struct Fp8Layer::GroupedFunction : public torch::autograd::Function<GroupedFunction> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& rows_AI,
                                 const torch::Tensor& weight_EOI, const torch::Tensor& ends_E,
                                 Fp8Layer* layer, torch::ScalarType outType, bool training) {
        NoAutocast noAutocast(c10::autocast_dispatch_keyset);
        Fp8Counts* counts = training ? &layer->m_counts : nullptr;
        Fp8Tensor input = layer->m_input.quantize(rows_AI, layer->m_activationTile, counts);
        Fp8Tensor weight = layer->quantizedWeight(weight_EOI, counts);
        save(ctx, input, weight);
        ctx->saved_data["ends"] = ends_E;
        ctx->saved_data["layer"] = int64_t(reinterpret_cast<intptr_t>(layer));
        ctx->saved_data["input_type"] = rows_AI.scalar_type();
        return fp8GroupedMatmul(input, weight, ends_E, outType);
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
        NoAutocast noAutocast(c10::autocast_dispatch_keyset);
        auto* layer = reinterpret_cast<Fp8Layer*>(ctx->saved_data["layer"].toInt());
        auto [input, weight] = saved(ctx, layer->m_activationTile, layer->m_weightTile);
        torch::Tensor ends_E = ctx->saved_data["ends"].toTensor();
        torch::Tensor g_AO = grads[0];
        auto [grad, gradT] = layer->quantizeGradients(g_AO);
        torch::Tensor dx_AI = fp8GroupedMatmul(grad, weight.transposed(layer->m_weightTile), ends_E,
                                               ctx->saved_data["input_type"].toScalarType());
        torch::Tensor dw_EOI = fp8GroupedWeightGradient(
            gradT, input.transposed(layer->m_activationTile), ends_E, torch::kFloat32);
        return {dx_AI, dw_EOI, {}, {}, {}, {}};
    }
};

Fp8Tensor Fp8Layer::quantizedWeight(const torch::Tensor& weight, Fp8Counts* counts) {
    if (m_stepWeight && m_stepWeight->weight.is_same(weight) &&
        m_stepWeight->version == int64_t(weight._version()))
        return m_stepWeight->quantized;
    Fp8Tensor quantized = m_weight.quantize(weight, m_weightTile, counts);
    if (counts) m_stepWeight = StepWeight{weight, int64_t(weight._version()), quantized};
    return quantized;
}

std::pair<Fp8Tensor, Fp8Tensor> Fp8Layer::quantizeGradients(const torch::Tensor& g_RO) {
    Fp8Tensor grad = m_grad.quantize(g_RO, m_activationTile, &m_counts);
    // Whole-tensor scales carry over; finer tiles are taken again from the fp32 gradients.
    Fp8Tensor gradT = grad.wholeTensor() ? grad.transposed(kWholeTensor)
                                         : m_grad.quantize(g_RO.t(), m_activationTile, &m_counts);
    return {grad, gradT};
}

torch::Tensor Fp8Layer::linear(const torch::Tensor& x, const torch::Tensor& weight_OI) {
    // Function::apply runs forward() without grad mode: whether this is training is asked here.
    return LinearFunction::apply(x, weight_OI, this, outputType(x), torch::GradMode::is_enabled());
}

torch::Tensor Fp8Layer::groupedLinear(const torch::Tensor& rows_AI, const torch::Tensor& weight_EOI,
                                      const torch::Tensor& ends_E) {
    return GroupedFunction::apply(rows_AI, weight_EOI, ends_E, this, outputType(rows_AI),
                                  torch::GradMode::is_enabled());
}

torch::Tensor Fp8Layer::stepStats() const {
    torch::Tensor counts = m_counts.overflow_underflow.defined()
                               ? m_counts.overflow_underflow.to(torch::kFloat32)
                               : torch::zeros({2}, m_input.stepAmax().options());
    return torch::cat(
        {torch::stack({m_input.stepAmax(), m_weight.stepAmax(), m_grad.stepAmax(),
                       m_input.stepScale(), m_weight.stepScale(), m_grad.stepScale()}),
         counts});
}

void Fp8Layer::endStep() {
    for (Fp8Scaling* scaling : scalings())
        scaling->endStep();
    m_counts = {};
    m_stepWeight.reset();
}

}  // namespace strata::train
