#include "core/train/precision_policy.h"

#include "core/common/error.h"
#include "core/run/metric_keys.h"
#include "core/train/fp8_matmul.h"

#include <ATen/autocast_mode.h>
#include <fmt/format.h>
#include <torch/torch.h>

namespace strata::train {

namespace {

constexpr const char* kLossScale = "loss_scale";
constexpr const char* kGrowthTracker = "loss_scale.growth_tracker";
constexpr const char* kOverflowSteps = "loss_scale.skipped_steps";
constexpr std::string_view kFp8Prefix = "fp8.";

}  // namespace

PrecisionPolicy::PrecisionPolicy(const run::RunConfig& config, torch::Device device)
    : m_precision(config.train.precision), m_device(device), m_fp8Config(config.fp8) {
    if (m_precision == run::Precision::Auto)
        m_precision = device.is_cuda() ? run::Precision::Bf16 : run::Precision::Fp32;
    if (m_precision == run::Precision::Fp16) m_lossScaler.emplace(config.fp16);
    if (m_precision == run::Precision::Fp8 && !deviceHasFp8(device) && !m_fp8Config.allowEmulation)
        common::fail(
            "train.precision is \"fp8\", but {} has no FP8 matrix units (CUDA compute capability "
            "8.9 or newer); set fp8.allow_emulation = true to train with the exact FP8 emulation "
            "(slower than bf16), or choose \"bf16\"",
            device.str());
}

std::string PrecisionPolicy::name() const {
    if (m_precision != run::Precision::Fp8) return run::precisionName(m_precision);
    return fmt::format("fp8 ({}{})", run::fp8RecipeName(m_fp8Config.recipe),
                       nativeFp8Recipe(m_fp8Config.recipe, m_device) ? "" : ", emulated");
}

void PrecisionPolicy::trainModel(torch::nn::Module& model) {
    if (m_precision == run::Precision::Fp8)
        m_fp8 = std::make_unique<Fp8Training>(m_fp8Config, model, m_device);
}

std::optional<c10::ScalarType> PrecisionPolicy::autocastType() const {
    switch (m_precision) {
        case run::Precision::Bf16:
            return at::kBFloat16;
        case run::Precision::Fp16:
            return at::kHalf;
        case run::Precision::Fp8:
            if (m_device.is_cuda()) return at::kBFloat16;
            return std::nullopt;
        default:
            return std::nullopt;
    }
}

PrecisionPolicy::ForwardScope::ForwardScope(const PrecisionPolicy& policy)
    : m_deviceType(policy.m_device.type()), m_autocastType(policy.autocastType()) {
    if (policy.m_fp8) m_fp8.emplace(policy.m_fp8.get());
    if (!m_autocastType) return;
    m_wasEnabled = at::autocast::is_autocast_enabled(m_deviceType);
    m_previousDtype = at::autocast::get_autocast_dtype(m_deviceType);
    at::autocast::set_autocast_dtype(m_deviceType, *m_autocastType);
    at::autocast::set_autocast_enabled(m_deviceType, true);
    at::autocast::increment_nesting();
}

PrecisionPolicy::ForwardScope::~ForwardScope() {
    if (!m_autocastType) return;
    // Leaving the outermost scope frees the low-precision copies of the weights autocast cached.
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    at::autocast::set_autocast_enabled(m_deviceType, m_wasEnabled);
    at::autocast::set_autocast_dtype(m_deviceType, m_previousDtype);
}

torch::Tensor PrecisionPolicy::lossForBackward(const torch::Tensor& loss) const {
    return m_lossScaler ? m_lossScaler->scaled(loss) : loss;
}

bool PrecisionPolicy::gradientsFinite(const std::vector<torch::Tensor>& parameters,
                                      const std::function<bool(bool)>& onEveryRank) {
    m_gradientsFinite = true;
    if (m_lossScaler) {
        m_gradientsFinite = m_lossScaler->unscale(parameters);
        if (onEveryRank) m_gradientsFinite = onEveryRank(m_gradientsFinite);
    }
    return m_gradientsFinite;
}

void PrecisionPolicy::finishStep(run::StepMetrics& metrics) {
    if (m_lossScaler) {
        metrics.extra.push_back({run::kMetricLossScale, m_lossScaler->scale()});
        m_lossScaler->update(m_gradientsFinite);
        metrics.extra.push_back({run::kMetricOverflowSteps, double(m_lossScaler->skippedSteps())});
    }
    if (m_fp8) {
        metrics.fp8 = m_fp8->finishStep();
        int64_t overflow = 0, underflow = 0;
        for (const run::Fp8LayerStats& layer : metrics.fp8) {
            overflow += layer.overflow;
            underflow += layer.underflow;
        }
        metrics.extra.push_back({run::kMetricFp8Overflow, double(overflow)});
        metrics.extra.push_back({run::kMetricFp8Underflow, double(underflow)});
    }
    m_gradientsFinite = true;
}

model::NamedTensors PrecisionPolicy::state() const {
    model::NamedTensors tensors;
    if (m_lossScaler) {
        tensors.emplace_back(kLossScale, torch::tensor(m_lossScaler->scale(), torch::kFloat64));
        tensors.emplace_back(kGrowthTracker,
                             torch::tensor(int64_t(m_lossScaler->growthTracker()), torch::kInt64));
        tensors.emplace_back(kOverflowSteps,
                             torch::tensor(m_lossScaler->skippedSteps(), torch::kInt64));
    }
    if (m_fp8)
        for (auto& [name, tensor] : m_fp8->state())
            tensors.emplace_back(std::string(kFp8Prefix) + name, tensor);
    return tensors;
}

void PrecisionPolicy::loadState(const model::NamedTensors& tensors, const std::string& source) {
    model::NamedTensors fp8;
    std::optional<double> scale;
    int64_t growthTracker = 0, overflowSteps = 0;
    for (const auto& [name, tensor] : tensors) {
        if (name.rfind(kFp8Prefix, 0) == 0) {
            fp8.emplace_back(name.substr(kFp8Prefix.size()), tensor);
            continue;
        }
        if (tensor.numel() != 1) common::fail("{}: tensor '{}' must hold one number", source, name);
        if (name == kLossScale)
            scale = tensor.item<double>();
        else if (name == kGrowthTracker)
            growthTracker = tensor.item<int64_t>();
        else if (name == kOverflowSteps)
            overflowSteps = tensor.item<int64_t>();
        else
            common::fail("{}: unknown tensor '{}'", source, name);
    }
    if (m_lossScaler) {
        if (!scale || !(*scale > 0))
            common::fail("{}: tensor '{}' is missing or not a positive number", source, kLossScale);
        m_lossScaler->restore(*scale, int(growthTracker), overflowSteps);
    }
    if (m_fp8) m_fp8->loadState(fp8, source);
}

}  // namespace strata::train
