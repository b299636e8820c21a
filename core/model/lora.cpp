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
        m_targets.push_back({linear, linear->weight, a, b});
    }
}

void LoraAdaptersImpl::apply() {
    for (Target& target : m_targets)
        target.linear->weight = target.base + m_scale * target.b.matmul(target.a);
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
