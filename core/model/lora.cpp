#include "core/model/lora.h"

#include "core/common/error.h"
#include "core/model/safetensors.h"

#include <torch/torch.h>

#include <cmath>
#include <set>

namespace strata::model {

namespace {

// The adapted projections by their module path ("block0.attention.wq").
std::vector<std::pair<std::string, torch::nn::Linear>> adaptedProjections(Transformer& model) {
    std::vector<std::pair<std::string, torch::nn::Linear>> found;
    for (const auto& item : model->named_modules()) {
        const std::string& path = item.key();
        auto linear = std::dynamic_pointer_cast<torch::nn::LinearImpl>(item.value());
        if (!linear || path.rfind("block", 0) != 0 || path.find(".router.") != std::string::npos)
            continue;
        found.emplace_back(path, torch::nn::Linear(linear));
    }
    return found;
}

// A module name may not hold dots: "block0.attention.wq" is saved as "block0__attention__wq".
std::string adapterName(std::string path) {
    for (size_t at = path.find('.'); at != std::string::npos; at = path.find('.', at + 2))
        path.replace(at, 1, "__");
    return path;
}

}  // namespace

LoraAdaptersImpl::LoraAdaptersImpl(Transformer& model, int rank, double alpha) {
    TORCH_CHECK(rank >= 1 && alpha > 0, "LoRA needs a positive rank and alpha");
    for (torch::Tensor& parameter : model->parameters())
        parameter.requires_grad_(false);
    m_scale = register_buffer("scale", torch::tensor(alpha / double(rank)));
    for (auto& [path, linear] : adaptedProjections(model)) {
        const int64_t out = linear->weight.size(0), in = linear->weight.size(1);
        auto adapter = std::make_shared<torch::nn::Module>();
        // A as a Linear layer's default initialization, B zero: the update starts at 0.
        torch::Tensor a = adapter->register_parameter(
            "a", torch::empty({rank, in})
                     .uniform_(-1.0 / std::sqrt(double(in)), 1.0 / std::sqrt(double(in))));
        torch::Tensor b = adapter->register_parameter("b", torch::zeros({out, rank}));
        register_module(adapterName(path), adapter);
        m_targets.emplace(linear->weight.unsafeGetTensorImpl(), Target{a, b});
    }
}

LoraAdaptersImpl::Scope::Scope(LoraAdaptersImpl& adapters) {
    MatmulOverride* installed = currentMatmulOverride();
    // Nested scopes of the same adapters keep the override below them.
    if (installed == &adapters) return;
    adapters.m_below = installed;
    m_scope.emplace(&adapters);
}

torch::Tensor LoraAdaptersImpl::linear(const torch::Tensor& x, const torch::Tensor& weight_OI) {
    torch::Tensor base = m_below ? m_below->linear(x, weight_OI) : torch::Tensor();
    auto found = m_targets.find(weight_OI.unsafeGetTensorImpl());
    if (found == m_targets.end()) return base;
    if (!base.defined()) base = torch::nn::functional::linear(x, weight_OI);
    const Target& target = found->second;
    // (x A^T) B^T: the rank-sized product first, never a weight-sized B A.
    torch::Tensor update = torch::nn::functional::linear(
        torch::nn::functional::linear(x.to(base.scalar_type()), target.a_RI), target.b_OR);
    return base + update.mul(m_scale).to(base.scalar_type());
}

torch::Tensor LoraAdaptersImpl::groupedLinear(const torch::Tensor& rows_AI,
                                              const torch::Tensor& weight_EOI,
                                              const torch::Tensor& ends_E) {
    // Routed experts keep no adapter.
    return m_below ? m_below->groupedLinear(rows_AI, weight_EOI, ends_E) : torch::Tensor();
}

std::vector<torch::Tensor> LoraAdaptersImpl::trainedWith(const torch::Tensor& weight_OI) const {
    std::vector<torch::Tensor> trained =
        m_below ? m_below->trainedWith(weight_OI) : std::vector<torch::Tensor>{};
    auto found = m_targets.find(weight_OI.unsafeGetTensorImpl());
    if (found != m_targets.end())
        trained.insert(trained.end(), {found->second.a_RI, found->second.b_OR});
    return trained;
}

void mergeLora(Transformer& model, const std::filesystem::path& path) {
    SafetensorsContent content = loadSafetensors(path);
    auto find = [&](const std::string& name) -> const torch::Tensor& {
        auto found = content.tensors.find(name);
        if (found == content.tensors.end())
            common::fail("{}: tensor '{}' is missing", path.string(), name);
        return found->second;
    };
    torch::Tensor scale = find("scale").to(torch::kFloat32);
    if (scale.numel() != 1 || !std::isfinite(scale.item<float>()))
        common::fail("{}: tensor 'scale' must be one finite number", path.string());
    std::set<std::string> used{"scale"};
    torch::NoGradGuard noGrad;
    for (auto& [modulePath, linear] : adaptedProjections(model)) {
        std::string name = adapterName(modulePath);
        const torch::Tensor& a = find(name + ".a");
        const torch::Tensor& b = find(name + ".b");
        if (a.dim() != 2 || b.dim() != 2 || b.size(1) != a.size(0) ||
            b.size(0) != linear->weight.size(0) || a.size(1) != linear->weight.size(1))
            common::fail("{}: the adapter of '{}' does not fit its projection", path.string(),
                         modulePath);
        linear->weight.add_(scale * b.to(torch::kFloat32).matmul(a.to(torch::kFloat32)));
        used.insert({name + ".a", name + ".b"});
    }
    for (const auto& [name, tensor] : content.tensors)
        if (!used.count(name))
            common::fail("{}: tensor '{}' adapts no projection of this model", path.string(), name);
}

}  // namespace strata::model
