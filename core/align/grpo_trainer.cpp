#include "core/align/grpo_trainer.h"

#include "core/align/group_advantages.h"
#include "core/align/policy_losses.h"
#include "core/align/response_batch.h"
#include "core/run/metric_keys.h"

#include <torch/torch.h>

namespace strata::align {

GrpoTrainer::GrpoTrainer(run::RunConfig config, std::filesystem::path runDir,
                         run::MetricsSink& sink, bool resume)
    : RolloutTrainer(std::move(config), std::move(runDir), sink) {
    const run::GrpoConfig& g = m_config.align.grpo;
    // With LoRA the model under the adapters is init.model itself: it is the reference unless
    // init.reference names another, and no second copy is loaded.
    m_referenceIsBase = g.beta > 0 && g.lora.enabled && m_config.align.init.reference.empty();
    if (g.beta > 0 && !m_referenceIsBase) loadReference();
    prepareWithLora(resume, g.lora);
}

run::StepMetrics GrpoTrainer::trainStep() {
    auto started = std::chrono::steady_clock::now();
    const run::GrpoConfig& g = m_config.align.grpo;
    const double temperature = g.rollout.temperature;
    Rollouts rollouts = sampleStep(g.groupSize);
    ResponseBatch batch = makeResponseBatch(rollouts.prompts, rollouts.responses,
                                            m_config.resolvedSequenceLength(), m_device);
    RewardBreakdown rewards = score(rollouts, batch);

    const int64_t group = g.groupSize, prompts = int64_t(rollouts.responses.size()) / group;
    torch::Tensor rewards_NG =
        torch::tensor(rewards.total, torch::kFloat64).to(torch::kFloat32).view({prompts, group});
    torch::Tensor advantages_B =
        groupAdvantages(rewards_NG, g.aggregation != run::LossAggregation::DrGrpo).reshape({-1});
    torch::Tensor advantages_BT1 = advantages_B.to(m_device).unsqueeze(1).expand_as(batch.mask_BT1);
    torch::Tensor referenceLogProbs;
    if (m_reference || m_referenceIsBase) {
        torch::NoGradGuard noGrad;
        auto scope = m_precision.forwardScope();  // and no adapters: the base is the reference
        model::Transformer& reference = m_reference ? m_reference : m_policy;
        referenceLogProbs =
            tokenScores(reference, reference->forwardHidden(batch.tokens_BT).hidden_BTD,
                        batch.tokens_BT, temperature)
                .logProbs_BT;
    }

    run::StepMetrics metrics;
    // samplingKl: the KL of the policy that sampled the responses, before this step's updates.
    torch::Tensor oldLogProbs, lastEntropy, samplingKl, lastKl, lastClipped;
    double loss = 0;
    m_policy->train();
    for (int epoch = 0; epoch < g.epochs; ++epoch) {
        TokenScores scores;
        {
            auto scope = m_precision.forwardScope();
            auto lora = adapterScope();
            scores = tokenScores(m_policy, m_policy->forwardHidden(batch.tokens_BT).hidden_BTD,
                                 batch.tokens_BT, temperature);
        }
        const torch::Tensor& logProbs = scores.logProbs_BT;
        // The samples came from the policy as it was before this step's first update.
        if (epoch == 0) oldLogProbs = logProbs.detach();
        SurrogateLoss surrogate = clippedSurrogate(logProbs, oldLogProbs, advantages_BT1, g.clip);
        torch::Tensor perToken = surrogate.loss_BT;
        if (referenceLogProbs.defined()) {
            torch::Tensor kl = klPerToken(logProbs, referenceLogProbs, g.klEstimator);
            perToken = perToken + g.beta * kl;
            lastKl = kl.detach();
            if (epoch == 0) samplingKl = lastKl;
        }
        torch::Tensor objective =
            aggregateLoss(perToken, batch.mask_BT1, g.aggregation, g.rollout.maxNewTokens);
        objective.backward();
        loss = objective.item<double>();
        lastClipped = surrogate.clipped_BT;
        lastEntropy = scores.entropy_BT.detach();
        applyGradients(metrics, loss);
    }
    addRolloutMetrics(metrics, rollouts, rewards, batch.responseTokens);
    if (lastKl.defined())
        metrics.extra.push_back(
            {run::kMetricKl, maskedMean(lastKl, batch.mask_BT1).item<double>()});
    metrics.extra.push_back(
        {run::kMetricClipFraction, maskedMean(lastClipped, batch.mask_BT1).item<double>()});
    metrics.extra.push_back(
        {run::kMetricEntropy, maskedMean(lastEntropy, batch.mask_BT1).item<double>()});
    countStep(metrics, batch.responseTokens, started);
    torch::Tensor advantages = advantages_B.to(torch::kCPU, torch::kFloat64).contiguous();
    inspect(metrics, rollouts, rewards, batch, samplingKl, g.klEstimator,
            {advantages.data_ptr<double>(), advantages.data_ptr<double>() + advantages.numel()});
    return metrics;
}

}  // namespace strata::align
