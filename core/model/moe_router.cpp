#include "core/model/moe_router.h"

#include "core/model/linear.h"
#include "core/model/router_load_sum.h"

#include <cmath>
#include <limits>

namespace strata::model {

MoeRouterImpl::MoeRouterImpl(int64_t dModel, const model_spec::MoeConfig& config)
    : m_config(config) {
    gate = register_module("gate", linearNoBias(dModel, config.numRoutedExperts));
    bias_E = register_buffer("bias", torch::zeros({config.numRoutedExperts}));
}

RouterOutput MoeRouterImpl::forward(const torch::Tensor& x_ND) {
    TORCH_CHECK(x_ND.dim() == 2, "MoeRouter expects (N,D), got ", x_ND.sizes());
    int64_t numTokens = x_ND.size(0), numExperts = m_config.numRoutedExperts, topK = m_config.topK;
    torch::Tensor logits_NE = gate->forward(x_ND).to(torch::kFloat32);
    bool sigmoid = m_config.scoring == model_spec::RouterScoring::Sigmoid;
    torch::Tensor scores_NE = sigmoid ? torch::sigmoid(logits_NE) : torch::softmax(logits_NE, -1);

    RouterOutput out;
    torch::Tensor choice_NE = scores_NE.detach() + bias_E;
    if (m_config.numGroups > 1) choice_NE = onlyBestGroups(choice_NE);
    out.topIdx_NK = std::get<1>(torch::topk(choice_NE, topK, -1));
    torch::Tensor chosen_NK = scores_NE.gather(1, out.topIdx_NK);
    out.topWeight_NK =
        m_config.normalizeTopK ? chosen_NK / chosen_NK.sum(-1, /*keepdim=*/true) : chosen_NK;
    if (m_config.routedScaling != 1.0) out.topWeight_NK = out.topWeight_NK * m_config.routedScaling;

    // The routing distribution over all experts: the softmax itself, or the normalized sigmoids.
    torch::Tensor probs_NE = sigmoid ? scores_NE / scores_NE.sum(-1, true) : scores_NE;
    out.entropy = -(probs_NE * torch::log(probs_NE.clamp_min(1e-20))).sum(-1).mean().detach();
    out.dropped = torch::zeros({}, out.topIdx_NK.options());

    torch::Tensor assigned_NE =
        torch::zeros({numTokens, numExperts}, x_ND.options().dtype(torch::kFloat32))
            .scatter_(1, out.topIdx_NK, 1.0);
    if (m_config.capacityFactor > 0) {
        int64_t capacity = int64_t(
            std::ceil(m_config.capacityFactor * double(numTokens * topK) / double(numExperts)));
        // An assignment is kept when fewer than `capacity` earlier tokens went to the same expert.
        torch::Tensor rank_NE = assigned_NE.cumsum(0) * assigned_NE;
        torch::Tensor kept_NK = (rank_NE <= double(capacity)).gather(1, out.topIdx_NK);
        out.dropped = int64_t(kept_NK.numel()) - kept_NK.sum();
        out.topWeight_NK = out.topWeight_NK * kept_NK;
        assigned_NE = assigned_NE * (rank_NE <= double(capacity));
    }
    torch::Tensor counts_E = assigned_NE.sum(0);
    sumRouterLoadOverRanks(counts_E);
    out.load_E = (counts_E / counts_E.sum().clamp_min(1.0)).detach();

    torch::Tensor zero = torch::zeros({}, logits_NE.options());
    out.auxLoss = zero;
    if (m_config.auxLossCoef > 0)
        out.auxLoss =
            m_config.auxLossCoef * double(numExperts) * (out.load_E * probs_NE.mean(0)).sum();
    out.zLoss = zero;
    if (m_config.zLossCoef > 0)
        out.zLoss = m_config.zLossCoef * torch::logsumexp(logits_NE, -1).pow(2).mean();
    return out;
}

torch::Tensor MoeRouterImpl::onlyBestGroups(const torch::Tensor& choice_NE) const {
    int64_t numTokens = choice_NE.size(0), groups = m_config.numGroups;
    torch::Tensor choice_NGX = choice_NE.view({numTokens, groups, -1});
    torch::Tensor groupScore_NG = std::get<0>(choice_NGX.topk(2, -1)).sum(-1);
    torch::Tensor best_NK = std::get<1>(groupScore_NG.topk(m_config.topKGroups, -1));
    torch::Tensor kept_NG =
        torch::zeros_like(groupScore_NG, torch::kBool).scatter_(1, best_NK, true);
    torch::Tensor kept_NE = kept_NG.unsqueeze(-1).expand_as(choice_NGX).reshape_as(choice_NE);
    return choice_NE.masked_fill(kept_NE.logical_not(), -std::numeric_limits<float>::infinity());
}

void MoeRouterImpl::updateBias(const torch::Tensor& load_E) {
    if (m_config.biasUpdateSpeed == 0) return;
    torch::NoGradGuard noGrad;
    bias_E -= m_config.biasUpdateSpeed * torch::sign(load_E.to(bias_E.device()) - load_E.mean());
}

}  // namespace strata::model
