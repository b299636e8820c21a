#include "core/align/ppo_trainer.h"

#include <torch/torch.h>
#include "core/align/policy_losses.h"
#include "core/align/response_batch.h"
#include "core/run/metric_keys.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace strata::align {

namespace {

// The critic as one module, so its body and head are saved and optimized together.
struct CriticModule : torch::nn::Module {
    CriticModule(RewardModel& critic) {
        register_module("body", critic.body.ptr());
        register_module("head", critic.head.ptr());
    }
};

}  // namespace

PpoTrainer::PpoTrainer(run::RunConfig config, std::filesystem::path runDir, run::MetricsSink& sink,
                       bool resume)
    : RolloutTrainer(std::move(config), std::move(runDir), sink) {
    const run::PpoConfig& p = m_config.align.ppo;
    loadReference();
    m_kl = KlController(p.klCoef);
    std::vector<train::ExtraModule> extras{{"kl_controller", m_kl.ptr()}};
    if (p.valueFromRewardModel) {
        m_critic = loadReward(m_config.align.init.rewardModel, "init.reward_model", false);
        extras.push_back({"critic", std::make_shared<CriticModule>(*m_critic)});
    } else {
        m_valueHead = torch::nn::Linear(m_config.model.dModel, 1);
        extras.push_back({"value_head", m_valueHead.ptr()});
    }
    prepare(resume, std::move(extras));
}

PpoTrainer::Forward PpoTrainer::forward(const torch::Tensor& tokens_BT) {
    const int64_t length = tokens_BT.size(1) - 1;
    auto scope = m_precision.forwardScope();
    model::TransformerOutput out = m_policy->forwardHidden(tokens_BT);
    TokenScores scores =
        tokenScores(m_policy, out.hidden_BTD, tokens_BT, m_config.align.ppo.rollout.temperature);
    Forward result{.logProbs_BT = scores.logProbs_BT, .entropy_BT = scores.entropy_BT};
    torch::Tensor hidden_BTD =
        m_critic ? m_critic->body->forwardHidden(tokens_BT).hidden_BTD : out.hidden_BTD;
    torch::Tensor values_BT =
        m_critic ? m_critic->head->forward(hidden_BTD)
                 : m_valueHead->forward(hidden_BTD.to(torch::kFloat32)).squeeze(-1);
    result.values_BT = values_BT.narrow(1, 0, length).to(torch::kFloat32);
    return result;
}

run::StepMetrics PpoTrainer::trainStep() {
    auto started = std::chrono::steady_clock::now();
    const run::PpoConfig& p = m_config.align.ppo;
    Rollouts rollouts = sampleStep(1);
    ResponseBatch batch = makeResponseBatch(rollouts.prompts, rollouts.responses,
                                            m_config.resolvedSequenceLength(), m_device);
    RewardBreakdown rewards = score(rollouts, batch);
    const torch::Tensor& mask = batch.mask_BT1;
    const int64_t rows = mask.size(0);

    // The rollouts as sampled: log-probabilities, values, the KL to the reference, advantages.
    Forward old;
    torch::Tensor referenceLogProbs, kl, advantages, returns;
    {
        torch::NoGradGuard noGrad;
        m_policy->eval();
        old = forward(batch.tokens_BT);
        {
            auto scope = m_precision.forwardScope();
            referenceLogProbs =
                tokenScores(m_reference, m_reference->forwardHidden(batch.tokens_BT).hidden_BTD,
                            batch.tokens_BT, p.rollout.temperature)
                    .logProbs_BT;
        }
        m_policy->train();
        kl = klPerToken(old.logProbs_BT, referenceLogProbs, p.klEstimator) * mask;
        torch::Tensor tokenRewards = torch::zeros_like(mask);
        if (p.klPlacement == run::KlPlacement::Reward) tokenRewards -= m_kl->value() * kl;
        // The score is the reward of the last response token's action.
        torch::Tensor scores =
            torch::tensor(rewards.total, torch::kFloat64).to(m_device, torch::kFloat32);
        tokenRewards.scatter_add_(1, (batch.lastIndex_B - 1).unsqueeze(1), scores.unsqueeze(1));
        Advantages gae =
            generalizedAdvantages(tokenRewards, old.values_BT, mask, p.gamma, p.lambda);
        advantages = p.whitenAdvantages ? whiten(gae.advantages_BT, mask) : gae.advantages_BT;
        returns = gae.returns_BT;
    }

    // ppo.epochs passes, each over the rows shuffled into ppo.minibatches minibatches.
    run::StepMetrics metrics;
    double policyLoss = 0, valueLoss = 0, entropy = 0, approxKl = 0, clipFraction = 0, loss = 0;
    int updates = 0;
    std::vector<int64_t> order(static_cast<size_t>(rows));
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 shuffle(m_config.train.seed * 7919 + uint64_t(m_state.step));
    const int64_t size = std::max<int64_t>(1, rows / p.minibatches);
    for (int epoch = 0; epoch < p.epochs; ++epoch) {
        std::shuffle(order.begin(), order.end(), shuffle);
        for (int64_t first = 0; first + size <= rows; first += size) {
            torch::Tensor index = torch::tensor(std::vector<int64_t>(order.begin() + first,
                                                                     order.begin() + first + size))
                                      .to(m_device);
            torch::Tensor rowMask = mask.index_select(0, index);
            Forward now = forward(batch.tokens_BT.index_select(0, index));
            SurrogateLoss surrogate =
                clippedSurrogate(now.logProbs_BT, old.logProbs_BT.index_select(0, index),
                                 advantages.index_select(0, index), p.clip);
            torch::Tensor policyTerm = maskedMean(surrogate.loss_BT, rowMask);
            torch::Tensor valueTerm =
                clippedValueLoss(now.values_BT, old.values_BT.index_select(0, index),
                                 returns.index_select(0, index), rowMask, p.valueClip);
            torch::Tensor entropyTerm = maskedMean(now.entropy_BT, rowMask);
            torch::Tensor objective =
                policyTerm + p.valueCoef * valueTerm - p.entropyCoef * entropyTerm;
            if (p.klPlacement == run::KlPlacement::Loss)
                objective =
                    objective +
                    m_kl->value() * maskedMean(klPerToken(now.logProbs_BT,
                                                          referenceLogProbs.index_select(0, index),
                                                          p.klEstimator),
                                               rowMask);
            objective.backward();
            loss = objective.item<double>();
            applyGradients(metrics, loss);
            torch::Tensor logRatio =
                (now.logProbs_BT - old.logProbs_BT.index_select(0, index)).detach();
            policyLoss += policyTerm.item<double>();
            valueLoss += valueTerm.item<double>();
            entropy += entropyTerm.item<double>();
            approxKl += maskedMean(0.5 * logRatio.square(), rowMask).item<double>();
            clipFraction += maskedMean(surrogate.clipped_BT, rowMask).item<double>();
            ++updates;
        }
    }

    const double coefficient = m_kl->value();
    const double sequenceKl = kl.sum(1).mean().item<double>();
    if (p.adaptiveKl) m_kl->update(sequenceKl, rows, p.klTarget, p.klHorizon);

    addRolloutMetrics(metrics, rollouts, rewards, batch.responseTokens);
    metrics.extra.push_back({run::kMetricKl, maskedMean(kl, mask).item<double>()});
    metrics.extra.push_back({run::kMetricKlCoef, coefficient});
    metrics.extra.push_back({run::kMetricPolicyLoss, policyLoss / updates});
    metrics.extra.push_back({run::kMetricValueLoss, valueLoss / updates});
    metrics.extra.push_back({run::kMetricEntropy, entropy / updates});
    metrics.extra.push_back({run::kMetricApproxKl, approxKl / updates});
    metrics.extra.push_back({run::kMetricClipFraction, clipFraction / updates});
    countStep(metrics, batch.responseTokens, started);
    inspect(metrics, rollouts, rewards, batch, kl, p.klEstimator);
    return metrics;
}

}  // namespace strata::align
