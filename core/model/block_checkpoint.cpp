#include "core/model/block_checkpoint.h"

#include "core/model/matmul_override.h"
#include "core/model/router_load_sum.h"

#include <ATen/autocast_mode.h>
#include <torch/autograd.h>
#include <torch/custom_class.h>
#include <torch/torch.h>

#include <optional>

namespace strata::model {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// What the recomputation needs besides the block's input.
struct Recompute : torch::CustomClassHolder {
    TransformerBlock block{nullptr};
    std::optional<AttentionLayout> layout;
    std::vector<torch::Tensor> trained;  // the node's inputs after x
    MatmulOverride* matmulOverride = nullptr;
    c10::DeviceType deviceType = c10::DeviceType::CPU;
    bool autocast = false;
    c10::ScalarType autocastType = c10::ScalarType::Undefined;
    std::vector<torch::Tensor> summedLoads;  // each router's counts as the forward summed them
};

// A MoE block's routing after y in the node's outputs: the two losses are differentiable.
// (The losses are copied: a router that is off returns one zero for both, and a node's outputs
// must be distinct tensors.)
variable_list flatten(const RouterOutput& r) {
    return {r.auxLoss.clone(), r.zLoss.clone(), r.topIdx_NK, r.topWeight_NK,
            r.load_E,          r.entropy,       r.dropped};
}

RouterOutput unflatten(const variable_list& outputs) {
    return {.topIdx_NK = outputs[3],
            .topWeight_NK = outputs[4],
            .auxLoss = outputs[1],
            .zLoss = outputs[2],
            .load_E = outputs[5],
            .entropy = outputs[6],
            .dropped = outputs[7]};
}

// Autocast as the forward had it, for the recomputation's lifetime.
class AutocastAsBefore {
public:
    explicit AutocastAsBefore(const Recompute& r) : m_deviceType(r.deviceType) {
        m_wasEnabled = at::autocast::is_autocast_enabled(m_deviceType);
        m_previousType = at::autocast::get_autocast_dtype(m_deviceType);
        at::autocast::set_autocast_enabled(m_deviceType, r.autocast);
        if (r.autocast) at::autocast::set_autocast_dtype(m_deviceType, r.autocastType);
        at::autocast::increment_nesting();
    }
    ~AutocastAsBefore() {
        if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
        at::autocast::set_autocast_enabled(m_deviceType, m_wasEnabled);
        at::autocast::set_autocast_dtype(m_deviceType, m_previousType);
    }
    AutocastAsBefore(const AutocastAsBefore&) = delete;
    AutocastAsBefore& operator=(const AutocastAsBefore&) = delete;

private:
    c10::DeviceType m_deviceType;
    bool m_wasEnabled = false;
    c10::ScalarType m_previousType = c10::ScalarType::Undefined;
};

class BlockCheckpoint : public torch::autograd::Function<BlockCheckpoint> {
public:
    static variable_list forward(AutogradContext* ctx, const torch::Tensor& x_BTD,
                                 at::TensorList trained, c10::intrusive_ptr<Recompute> recompute) {
        (void)trained;  // the recomputation reaches them through the block and the override
        // Record the loads the routers sum over the ranks, so that the recomputation replays them.
        SumOverRanks outer = currentRouterLoadSum();
        Recompute* r = recompute.get();
        RouterLoadSumScope record([outer, r](torch::Tensor& counts_E) {
            if (outer) outer(counts_E);
            r->summedLoads.push_back(counts_E.clone());
        });
        std::vector<RouterOutput> routing;
        torch::Tensor y_BTD =
            recompute->block->forward(x_BTD, routing, nullptr, r->layout ? &*r->layout : nullptr);
        ctx->save_for_backward({x_BTD});
        ctx->saved_data["recompute"] = c10::IValue::make_capsule(recompute);
        variable_list outputs{y_BTD};
        if (!routing.empty()) {
            variable_list rest = flatten(routing.front());
            outputs.insert(outputs.end(), rest.begin(), rest.end());
            ctx->mark_non_differentiable({rest[2], rest[3], rest[4], rest[5], rest[6]});
        }
        return outputs;
    }

    static variable_list backward(AutogradContext* ctx, variable_list grads) {
        auto r =
            c10::static_intrusive_pointer_cast<Recompute>(ctx->saved_data["recompute"].toCapsule());
        const bool wantInput = ctx->needs_input_grad(0);
        torch::Tensor x_BTD = ctx->get_saved_variables()[0].detach().requires_grad_(wantInput);

        variable_list outputs, outputGrads;
        {
            torch::AutoGradMode withGrad(true);
            AutocastAsBefore autocast(*r);
            MatmulOverrideScope matmul(r->matmulOverride);
            size_t next = 0;
            RouterLoadSumScope replay([&r, &next](torch::Tensor& counts_E) {
                counts_E.copy_(r->summedLoads.at(next++));
            });
            std::vector<RouterOutput> routing;
            torch::Tensor y_BTD =
                r->block->forward(x_BTD, routing, nullptr, r->layout ? &*r->layout : nullptr);
            outputs.push_back(y_BTD);
            outputGrads.push_back(grads[0].defined() ? grads[0] : torch::zeros_like(y_BTD));
            if (!routing.empty()) {
                // The auxiliary and z losses, where they carry a gradient.
                for (int i : {1, 2}) {
                    const torch::Tensor& loss = i == 1 ? routing[0].auxLoss : routing[0].zLoss;
                    if (grads[size_t(i)].defined() && loss.requires_grad()) {
                        outputs.push_back(loss);
                        outputGrads.push_back(grads[size_t(i)]);
                    }
                }
            }
        }
        variable_list inputs;
        if (wantInput) inputs.push_back(x_BTD);
        inputs.insert(inputs.end(), r->trained.begin(), r->trained.end());
        variable_list inputGrads =
            torch::autograd::grad(outputs, inputs, outputGrads, /*retain_graph=*/false,
                                  /*create_graph=*/false, /*allow_unused=*/true);
        variable_list result;
        result.push_back(wantInput ? inputGrads[0] : torch::Tensor());
        result.insert(result.end(), inputGrads.begin() + (wantInput ? 1 : 0), inputGrads.end());
        result.push_back(torch::Tensor());  // the recompute capsule
        return result;
    }
};

}  // namespace

torch::Tensor checkpointedBlockForward(TransformerBlock& block, const torch::Tensor& x_BTD,
                                       std::vector<RouterOutput>& routing,
                                       const AttentionLayout* layout) {
    auto recompute = c10::make_intrusive<Recompute>();
    recompute->block = block;
    if (layout) recompute->layout = *layout;
    recompute->matmulOverride = currentMatmulOverride();
    recompute->deviceType = x_BTD.device().type();
    recompute->autocast = at::autocast::is_autocast_enabled(recompute->deviceType);
    recompute->autocastType = at::autocast::get_autocast_dtype(recompute->deviceType);
    for (const torch::Tensor& parameter : block->parameters())
        if (parameter.requires_grad()) recompute->trained.push_back(parameter);
    if (recompute->matmulOverride)
        for (const auto& module : block->modules())
            if (auto linear = std::dynamic_pointer_cast<torch::nn::LinearImpl>(module))
                for (torch::Tensor& tensor : recompute->matmulOverride->trainedWith(linear->weight))
                    if (tensor.requires_grad()) recompute->trained.push_back(tensor);
    std::vector<torch::Tensor> trained = recompute->trained;
    variable_list outputs = BlockCheckpoint::apply(x_BTD, at::TensorList(trained), recompute);
    if (outputs.size() > 1) routing.push_back(unflatten(outputs));
    return outputs[0];
}

}  // namespace strata::model
