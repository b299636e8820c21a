#include "core/train/fp8_training.h"

#include "core/common/error.h"

#include <torch/torch.h>

#include <algorithm>
#include <unordered_set>
#include <utility>

namespace strata::train {

namespace {

constexpr const char* kRoleNames[] = {"input", "weight", "grad"};

std::string historyName(const std::string& layer, int role) {
    return layer + "." + kRoleNames[role] + "_amax_history";
}

}  // namespace

Fp8Training::Fp8Training(const run::Fp8Config& config, torch::nn::Module& model,
                         torch::Device device)
    : m_config(config), m_device(device) {
    for (const auto& item : model.named_parameters())
        m_weightNames.emplace(item.value().unsafeGetTensorImpl(), item.key());
}

Fp8Layer* Fp8Training::layerFor(const torch::Tensor& weight) {
    const void* key = weight.unsafeGetTensorImpl();
    auto found = m_layers.find(key);
    if (found != m_layers.end()) return found->second.get();
    auto name = m_weightNames.find(key);
    if (name == m_weightNames.end()) return nullptr;
    int64_t numMatrices = weight.dim() == 3 ? weight.size(0) : 1;
    auto layer = std::make_unique<Fp8Layer>(name->second, m_config, numMatrices, m_device);
    std::vector<Fp8Scaling*> scalings = layer->scalings();
    for (int role = 0; role < 3; ++role) {
        auto pending = std::find_if(
            m_pendingState.begin(), m_pendingState.end(),
            [&](const auto& item) { return item.first == historyName(name->second, role); });
        if (pending == m_pendingState.end()) continue;
        // A recipe other than delayed keeps no history: a loaded one is dropped.
        if (Fp8Scaling* scaling = scalings[size_t(role)]; scaling->delayed()) {
            const int64_t rows = scaling->history().size(0);
            if (pending->second.size(0) != rows)
                common::fail("{}: tensor '{}' holds the history of {} matrices, but {} has {}",
                             m_pendingSource, pending->first, pending->second.size(0), name->second,
                             rows);
            scaling->setHistory(pending->second);
        }
        m_pendingState.erase(pending);
    }
    m_layerOrder.push_back(layer.get());
    return m_layers.emplace(key, std::move(layer)).first->second.get();
}

torch::Tensor Fp8Training::linear(const torch::Tensor& x, const torch::Tensor& weight_OI) {
    Fp8Layer* layer = layerFor(weight_OI);
    return layer ? layer->linear(x, weight_OI) : torch::Tensor();
}

torch::Tensor Fp8Training::groupedLinear(const torch::Tensor& rows_AI,
                                         const torch::Tensor& weight_EOI,
                                         const torch::Tensor& ends_E) {
    Fp8Layer* layer = layerFor(weight_EOI);
    return layer ? layer->groupedLinear(rows_AI, weight_EOI, ends_E) : torch::Tensor();
}

std::vector<run::Fp8LayerStats> Fp8Training::finishStep() {
    std::vector<run::Fp8LayerStats> stats;
    if (m_layerOrder.empty()) return stats;
    std::vector<torch::Tensor> perLayer;
    for (Fp8Layer* layer : m_layerOrder)
        perLayer.push_back(layer->stepStats());
    torch::Tensor host = torch::stack(perLayer).to(torch::kCPU, torch::kFloat64).contiguous();
    const double* values = host.data_ptr<double>();
    for (size_t i = 0; i < m_layerOrder.size(); ++i, values += host.size(1)) {
        stats.push_back({m_layerOrder[i]->name(), values[0], values[1], values[2], values[3],
                         values[4], values[5], int64_t(values[6]), int64_t(values[7])});
        m_layerOrder[i]->endStep();
    }
    return stats;
}

model::NamedTensors Fp8Training::state() const {
    model::NamedTensors tensors = m_pendingState;
    for (Fp8Layer* layer : m_layerOrder) {
        std::vector<const Fp8Scaling*> scalings = std::as_const(*layer).scalings();
        for (int role = 0; role < 3; ++role)
            if (scalings[size_t(role)]->delayed())
                tensors.emplace_back(historyName(layer->name(), role),
                                     scalings[size_t(role)]->history().to(torch::kCPU));
    }
    return tensors;
}

void Fp8Training::loadState(const model::NamedTensors& tensors, const std::string& source) {
    const int64_t length = m_config.amaxHistory;
    std::unordered_set<std::string> known;
    for (const auto& [impl, weight] : m_weightNames)
        for (int role = 0; role < 3; ++role)
            known.insert(historyName(weight, role));
    for (const auto& [name, tensor] : tensors) {
        if (!known.count(name))
            common::fail("{}: tensor '{}' names no weight of this model", source, name);
        if (tensor.dim() != 2 || tensor.size(1) != length)
            common::fail(
                "{}: tensor '{}' is an amax history of shape {}, but fp8.amax_history is {}",
                source, name, c10::str(tensor.sizes()), length);
    }
    m_pendingState = tensors;
    m_pendingSource = source;
}

}  // namespace strata::train
