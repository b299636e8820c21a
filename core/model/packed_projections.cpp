#include "core/model/packed_projections.h"

#include "core/model/autocast_type.h"
#include "core/model/matmul_override.h"

#include <torch/autograd.h>
#include <torch/torch.h>

#include <numeric>

namespace strata::model {

namespace {

// True when the tensors lie back to back, in order, in one contiguous stretch of one storage.
bool backToBack(const std::vector<torch::Tensor>& tensors) {
    const torch::Tensor& first = tensors.front();
    int64_t next = first.storage_offset();
    for (const torch::Tensor& t : tensors) {
        if (!t.is_contiguous() || !t.storage().is_alias_of(first.storage()) ||
            t.storage_offset() != next || t.scalar_type() != first.scalar_type())
            return false;
        next += t.numel();
    }
    return true;
}

// The back-to-back tensors as one tensor of `rows` rows, sharing their storage.
torch::Tensor spanOf(const std::vector<torch::Tensor>& tensors, int64_t rows) {
    torch::Tensor first = tensors.front().detach();
    if (first.dim() == 1) return first.as_strided({rows}, {1}, first.storage_offset());
    return first.as_strided({rows, first.size(1)}, {first.size(1), 1}, first.storage_offset());
}

// Moves each tensor into its stretch of one new buffer.
void packInto(const std::vector<torch::Tensor>& tensors) {
    int64_t rows = 0;
    for (const torch::Tensor& t : tensors)
        rows += t.size(0);
    std::vector<int64_t> shape = tensors.front().sizes().vec();
    shape[0] = rows;
    torch::Tensor buffer = torch::empty(shape, tensors.front().options());
    int64_t offset = 0;
    for (torch::Tensor t : tensors) {
        torch::Tensor stretch = buffer.narrow(0, offset, t.size(0));
        stretch.copy_(t);
        offset += t.size(0);
        t.set_data(stretch);
    }
}

// x times the packed weight, as one product; the backward gives each layer its own stretch of
// the weight's (and bias's) gradient. Under autocast the input and weight are cast once, as a
// Linear would, and the cast input is what the backward keeps.
class PackedLinearFunction : public torch::autograd::Function<PackedLinearFunction> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                                 at::TensorList weights, at::TensorList biases) {
        std::vector<int64_t> outputs;
        for (const torch::Tensor& w : weights)
            outputs.push_back(w.size(0));
        int64_t rows = std::accumulate(outputs.begin(), outputs.end(), int64_t(0));
        torch::Tensor weight = spanOf(weights.vec(), rows);
        torch::Tensor bias = biases.empty() ? torch::Tensor() : spanOf(biases.vec(), rows);
        torch::Tensor input = inAutocastType(x);
        torch::Tensor y =
            at::linear(input, inAutocastType(weight), bias.defined() ? inAutocastType(bias) : bias);
        ctx->save_for_backward({input, weight});
        ctx->saved_data["outputs"] = outputs;
        ctx->saved_data["input_type"] = int64_t(x.scalar_type());
        ctx->saved_data["biased"] = bias.defined();
        return y;
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list grads) {
        torch::autograd::variable_list saved = ctx->get_saved_variables();
        const torch::Tensor &input = saved[0], &weight = saved[1];
        std::vector<int64_t> outputs = ctx->saved_data["outputs"].toIntVector();
        bool biased = ctx->saved_data["biased"].toBool();
        int64_t count = int64_t(outputs.size()), rows = weight.size(0);
        torch::Tensor dy = grads[0].to(input.scalar_type());
        torch::Tensor dy_NO = dy.reshape({-1, rows});

        torch::autograd::tensor_list out(1 + count * (biased ? 2 : 1));
        if (ctx->needs_input_grad(0))
            out[0] = dy.matmul(weight.to(input.scalar_type()))
                         .to(c10::ScalarType(ctx->saved_data["input_type"].toInt()));
        // A frozen model (a reference policy, a frozen trunk) wants no weight gradient at all.
        auto wanted = [&](int64_t first) {
            for (int64_t i = 0; i < count; ++i)
                if (ctx->needs_input_grad(first + i)) return true;
            return false;
        };
        auto giveStretches = [&](const torch::Tensor& whole, int64_t first) {
            int64_t offset = 0;
            for (int64_t i = 0; i < count; ++i) {
                if (ctx->needs_input_grad(first + i))
                    out[first + i] = whole.narrow(0, offset, outputs[i]);
                offset += outputs[i];
            }
        };
        if (wanted(1))
            giveStretches(
                dy_NO.t().mm(input.reshape({-1, input.size(-1)})).to(weight.scalar_type()), 1);
        if (biased && wanted(1 + count))
            giveStretches(dy_NO.sum(0).to(weight.scalar_type()), 1 + count);
        return out;
    }
};

}  // namespace

PackedProjections::PackedProjections(std::vector<torch::nn::Linear> layers)
    : m_layers(std::move(layers)) {
    TORCH_CHECK(!m_layers.empty(), "PackedProjections needs layers");
    m_biased = m_layers.front()->bias.defined();
    for (const torch::nn::Linear& layer : m_layers) {
        TORCH_CHECK(layer->weight.size(1) == m_layers.front()->weight.size(1) &&
                        layer->bias.defined() == m_biased,
                    "PackedProjections: layers differ in input size or in having a bias");
        m_outputs.push_back(layer->weight.size(0));
    }
    pack();
}

void PackedProjections::pack() {
    if (m_layers.empty() || packed()) return;
    torch::NoGradGuard noGrad;
    packInto(weights());
    if (m_biased) packInto(biases());
}

bool PackedProjections::packed() const {
    return backToBack(weights()) && (!m_biased || backToBack(biases()));
}

std::vector<torch::Tensor> PackedProjections::forward(const torch::Tensor& x) const {
    const std::vector<torch::Tensor> weightList = weights(), biasList = biases();
    const bool packedNow = backToBack(weightList) && (!m_biased || backToBack(biasList));
    if (currentMatmulOverride() || !packedNow) {
        std::vector<torch::Tensor> out;
        for (const torch::nn::Linear& layer : m_layers)
            out.push_back(project(layer, x));
        return out;
    }
    return PackedLinearFunction::apply(x, at::TensorList(weightList), at::TensorList(biasList))
        .split_with_sizes(m_outputs, -1);
}

std::vector<torch::Tensor> PackedProjections::weights() const {
    std::vector<torch::Tensor> out;
    for (const torch::nn::Linear& layer : m_layers)
        out.push_back(layer->weight);
    return out;
}

std::vector<torch::Tensor> PackedProjections::biases() const {
    std::vector<torch::Tensor> out;
    if (m_biased)
        for (const torch::nn::Linear& layer : m_layers)
            out.push_back(layer->bias);
    return out;
}

void PackingModule::to(torch::Device device, torch::Dtype dtype, bool nonBlocking) {
    torch::nn::Module::to(device, dtype, nonBlocking);
    packAgain();
}

void PackingModule::to(torch::Dtype dtype, bool nonBlocking) {
    torch::nn::Module::to(dtype, nonBlocking);
    packAgain();
}

void PackingModule::to(torch::Device device, bool nonBlocking) {
    torch::nn::Module::to(device, nonBlocking);
    packAgain();
}

const PackedProjections& PackingModule::packTogether(std::vector<torch::nn::Linear> layers) {
    return m_packs.emplace_back(std::move(layers));
}

void PackingModule::packAgain() {
    for (PackedProjections& pack : m_packs)
        pack.pack();
}

}  // namespace strata::model
