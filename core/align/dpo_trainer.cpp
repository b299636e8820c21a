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
    sums_4 = sums_4.defined() ? sums_4 + other.sums_4 : other.sums_4;
    pairs += other.pairs;
    tokens += other.tokens;
}

double DpoTrainer::PairTotals::report(std::vector<run::NamedValue>& extra) const {
    torch::Tensor sums = sums_4.defined()
                             ? sums_4.to(torch::kCPU, torch::kFloat64).contiguous()  // the one read
                             : torch::zeros({4}, torch::kFloat64);
    const double* sum = sums.data_ptr<double>();
    const double n = double(std::max<int64_t>(pairs, 1));
    extra.push_back({run::kMetricChosenReward, sum[1] / n});
    extra.push_back({run::kMetricRejectedReward, sum[2] / n});
    extra.push_back({run::kMetricMargin, (sum[1] - sum[2]) / n});
    extra.push_back({run::kMetricAccuracy, sum[3] / n});
    return sum[0] / n;
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
    totals.sums_4 = torch::stack({out.loss.detach() * double(n), out.chosenRewards_N.sum(),
                                  out.rejectedRewards_N.sum(),
                                  (out.chosenRewards_N > out.rejectedRewards_N).sum()})
                        .to(torch::kFloat32);
    totals.pairs = n;
    totals.tokens = batch.tokens;
    return totals;
}

run::StepMetrics DpoTrainer::trainStep() {
    auto started = std::chrono::steady_clock::now();
    const run::TrainConfig& t = m_config.train;
    m_policy->train();
    PairTotals step;
    for (int micro = 0; micro < t.gradAccumSteps; ++micro) {
        PairTotals totals = scorePairs(stepPairs(micro));
        (totals.loss / double(t.gradAccumSteps)).backward();
        step.add(totals);
    }
    run::StepMetrics metrics;
    // Every micro-batch has micro_batch_size pairs, so the mean over the step's pairs is the
    // mean of the micro-batches' losses.
    const double loss = step.report(metrics.extra);
    finishStep(metrics, loss, step.tokens, started);
    return metrics;
}

run::EvalMetrics DpoTrainer::evaluate() {
    torch::NoGradGuard noGrad;
    m_policy->eval();
    PairTotals all;
    for (const PairBatch& pairs : leadingBatches(m_val))
        all.add(scorePairs(pairs));
    m_policy->train();
    run::EvalMetrics metrics;
    metrics.loss = all.report(metrics.extra);
    metrics.tokens = all.tokens;
    return metrics;
}

}  // namespace strata::align
