#include "core/align/reward_trainer.h"

#include "core/align/preference_batch.h"
#include "core/align/preference_losses.h"
#include "core/run/metric_keys.h"

#include <torch/torch.h>

namespace strata::align {

RewardTrainer::RewardTrainer(run::RunConfig config, std::filesystem::path runDir,
                             run::MetricsSink& sink, bool resume)
    : PreferenceTrainer(std::move(config), std::move(runDir), sink) {
    m_head = RewardHead(m_config.model.dModel);
    prepare(resume, {{kRewardHeadName, m_head.ptr()}});
    if (!resume) snapshotPairs();
}

RewardTrainer::PairScores RewardTrainer::scorePairs(const PairBatch& pairs) {
    ResponseBatch batch =
        preferenceBatch(pairs, m_chat, m_config.resolvedSequenceLength(), m_device);
    auto scope = m_precision.forwardScope();
    PairScores scores;
    torch::Tensor rewards = lastTokenRewards(m_policy, m_head, batch, &scores.routerLoss);
    const int64_t n = int64_t(pairs.size());
    scores.chosen_N = rewards.narrow(0, 0, n);
    scores.rejected_N = rewards.narrow(0, n, n);
    scores.tokens = (batch.lastIndex_B + 1).sum().item<int64_t>();
    return scores;
}

run::StepMetrics RewardTrainer::trainStep() {
    auto started = std::chrono::steady_clock::now();
    const run::TrainConfig& t = m_config.train;
    m_policy->train();
    double loss = 0, correct = 0, margin = 0;
    int64_t tokens = 0, count = 0;
    for (int micro = 0; micro < t.gradAccumSteps; ++micro) {
        PairBatch pairs = stepPairs(micro);
        PairScores scores = scorePairs(pairs);
        torch::Tensor batchLoss =
            bradleyTerryLoss(scores.chosen_N, scores.rejected_N, m_config.align.reward.margin);
        (batchLoss / double(t.gradAccumSteps) + scores.routerLoss / double(t.gradAccumSteps))
            .backward();
        loss += batchLoss.item<double>() / double(t.gradAccumSteps);
        torch::Tensor difference = (scores.chosen_N - scores.rejected_N).detach();
        correct += (difference > 0).sum().item<double>();
        margin += difference.sum().item<double>();
        count += int64_t(pairs.size());
        tokens += scores.tokens;
    }
    run::StepMetrics metrics;
    metrics.extra.push_back({run::kMetricAccuracy, correct / double(count)});
    metrics.extra.push_back({run::kMetricMargin, margin / double(count)});
    finishStep(metrics, loss, tokens, started);
    return metrics;
}

run::EvalMetrics RewardTrainer::evaluate() {
    torch::NoGradGuard noGrad;
    m_policy->eval();
    double loss = 0, correct = 0, margin = 0;
    size_t total = 0;
    run::EvalMetrics metrics;
    for (const PairBatch& pairs : leadingBatches(m_val)) {
        PairScores scores = scorePairs(pairs);
        loss += bradleyTerryLoss(scores.chosen_N, scores.rejected_N, m_config.align.reward.margin)
                    .item<double>() *
                double(pairs.size());
        torch::Tensor difference = scores.chosen_N - scores.rejected_N;
        correct += (difference > 0).sum().item<double>();
        margin += difference.sum().item<double>();
        metrics.tokens += scores.tokens;
        total += pairs.size();
    }
    m_policy->train();
    metrics.loss = loss / double(total);
    metrics.extra.push_back({run::kMetricAccuracy, correct / double(total)});
    metrics.extra.push_back({run::kMetricMargin, margin / double(total)});
    return metrics;
}

std::filesystem::path RewardTrainer::writeCheckpoint() {
    // The statistics of the model as saved: rewards of chosen and rejected training responses.
    {
        torch::NoGradGuard noGrad;
        m_policy->eval();
        std::vector<torch::Tensor> rewards;
        for (const PairBatch& pairs : leadingBatches(m_train)) {
            PairScores scores = scorePairs(pairs);
            rewards.push_back(scores.chosen_N.to(torch::kFloat32));
            rewards.push_back(scores.rejected_N.to(torch::kFloat32));
        }
        m_head->setStatistics(torch::cat(rewards));
        m_policy->train();
    }
    return AlignmentTrainer::writeCheckpoint();
}

}  // namespace strata::align
