#include "core/align/dpo_trainer.h"

#include "core/align/preference_batch.h"
#include "core/align/preference_losses.h"
#include "core/run/metric_keys.h"

#include <torch/torch.h>

namespace strata::align {

DpoTrainer::DpoTrainer(run::RunConfig config, std::filesystem::path runDir, run::MetricsSink& sink,
                       bool resume)
    : PreferenceTrainer(std::move(config), std::move(runDir), sink) {
    loadReference();
    prepare(resume);
    if (!resume) snapshotPairs();
}

void DpoTrainer::PairTotals::add(const PairTotals& other) {
    chosenReward += other.chosenReward;
    rejectedReward += other.rejectedReward;
    correct += other.correct;
    pairs += other.pairs;
    tokens += other.tokens;
}

void DpoTrainer::PairTotals::report(std::vector<run::NamedValue>& extra) const {
    double n = double(std::max<int64_t>(pairs, 1));
    extra.push_back({run::kMetricChosenReward, chosenReward / n});
    extra.push_back({run::kMetricRejectedReward, rejectedReward / n});
    extra.push_back({run::kMetricMargin, (chosenReward - rejectedReward) / n});
    extra.push_back({run::kMetricAccuracy, correct / n});
}

DpoTrainer::PairTotals DpoTrainer::scorePairs(const PairBatch& pairs) {
    ResponseBatch batch =
        preferenceBatch(pairs, m_chat, m_config.resolvedSequenceLength(), m_device);
    const int64_t n = int64_t(pairs.size());
    auto scope = m_precision.forwardScope();
    torch::Tensor reference;
    {
        torch::NoGradGuard noGrad;
        reference = responseLogProbs(m_reference, batch);
    }
    torch::Tensor policy = responseLogProbs(m_policy, batch);
    DpoOutput out =
        dpoLoss(policy.narrow(0, 0, n), policy.narrow(0, n, n), reference.narrow(0, 0, n),
                reference.narrow(0, n, n), m_config.align.dpo.beta);
    PairTotals totals;
    totals.loss = out.loss;
    totals.chosenReward = out.chosenRewards_N.sum().item<double>();
    totals.rejectedReward = out.rejectedRewards_N.sum().item<double>();
    totals.correct = (out.chosenRewards_N > out.rejectedRewards_N).sum().item<double>();
    totals.pairs = n;
    totals.tokens = (batch.lastIndex_B + 1).sum().item<int64_t>();
    return totals;
}

run::StepMetrics DpoTrainer::trainStep() {
    auto started = std::chrono::steady_clock::now();
    const run::TrainConfig& t = m_config.train;
    m_policy->train();
    PairTotals step;
    double loss = 0;
    for (int micro = 0; micro < t.gradAccumSteps; ++micro) {
        PairTotals totals = scorePairs(stepPairs(micro));
        (totals.loss / double(t.gradAccumSteps)).backward();
        loss += totals.loss.item<double>() / double(t.gradAccumSteps);
        step.add(totals);
    }
    run::StepMetrics metrics;
    step.report(metrics.extra);
    finishStep(metrics, loss, step.tokens, started);
    return metrics;
}

run::EvalMetrics DpoTrainer::evaluate() {
    torch::NoGradGuard noGrad;
    m_policy->eval();
    PairTotals all;
    double loss = 0;
    for (const PairBatch& pairs : leadingBatches(m_val)) {
        PairTotals totals = scorePairs(pairs);
        loss += totals.loss.item<double>() * double(totals.pairs);
        all.add(totals);
    }
    m_policy->train();
    run::EvalMetrics metrics;
    metrics.loss = loss / double(std::max<int64_t>(all.pairs, 1));
    metrics.tokens = all.tokens;
    all.report(metrics.extra);
    return metrics;
}

}  // namespace strata::align
