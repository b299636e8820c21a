#include "core/align/rollout_trainer.h"

#include "core/align/held_out_split.h"
#include "core/common/error.h"
#include "core/run/metric_keys.h"

#include <torch/torch.h>

#include <numeric>

namespace strata::align {

namespace {

double mean(const std::vector<double>& values) {
    return values.empty()
               ? 0.0
               : std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
}

}  // namespace

RolloutTrainer::RolloutTrainer(run::RunConfig config, std::filesystem::path runDir,
                               run::MetricsSink& sink)
    : AlignmentTrainer(std::move(config), std::move(runDir), sink) {
    const run::RunConfig& c = m_config;
    const bool grpo = c.stage == run::Stage::Grpo;
    m_rollout = grpo ? c.align.grpo.rollout : c.align.ppo.rollout;
    m_samplesPerPrompt = grpo ? c.align.grpo.groupSize : 1;
    Split<data::TaskExample> split = splitHeldOut(
        data::readTaskSet(c.data.train),
        c.data.val.empty() ? std::vector<data::TaskExample>{} : data::readTaskSet(c.data.val),
        c.data.valFraction, c.train.evalEvery > 0, c.train.seed, c.data.train, "tasks");
    m_train = std::move(split.train);
    m_val = std::move(split.val);
    m_order = EpochOrder(m_train.size(), true, c.train.seed);
    if (!c.align.rewards.blocklist.empty())
        m_rewardContext.blocklist = cleaning::WordBlocklist::fromFile(c.align.rewards.blocklist);
    // A prompt with no room for an answer would be sampled empty, step after step.
    const std::string setting = std::string(run::stageName(c.stage)) + ".max_new_tokens";
    checkPromptsFit(m_chat, m_train, c.model.contextLength, m_rollout.maxNewTokens, c.data.train,
                    setting);
    checkPromptsFit(m_chat, m_val, c.model.contextLength, m_rollout.maxNewTokens,
                    c.data.val.empty() ? c.data.train : c.data.val, setting);
    if (!c.align.init.rewardModel.empty())
        m_rewardModel = loadReward(c.align.init.rewardModel, "init.reward_model", true);
}

Rollouts RolloutTrainer::sampleStep(int samples) {
    const int count = m_config.train.microBatchSize;
    std::vector<const data::TaskExample*> tasks;
    for (size_t index : m_order.range(uint64_t(m_state.step) * uint64_t(count), size_t(count)))
        tasks.push_back(&m_train[index]);
    // Sampled in the run's precision, as the log-probabilities of the update are computed: the
    // policy that samples is the policy the ratio starts from.
    auto scope = m_precision.forwardScope();
    auto lora = adapterScope();
    return sampleRollouts(m_policy, m_chat, m_tokenizer, tasks, samples, m_rollout.maxNewTokens,
                          m_rollout.temperature,
                          m_config.train.seed * 1000003 + uint64_t(m_state.step));
}

RewardBreakdown RolloutTrainer::score(const Rollouts& rollouts, const ResponseBatch& batch) {
    const run::RewardWeights& weights = m_config.align.rewards;
    RewardBreakdown rewards = scoreRollouts(rollouts, weights, m_rewardContext);
    if (!m_rewardModel) return rewards;
    torch::NoGradGuard noGrad;
    auto scope = m_precision.forwardScope();
    torch::Tensor scores = m_rewardModel->head->normalize(
        lastTokenRewards(m_rewardModel->body, m_rewardModel->head, batch));
    scores = scores.to(torch::kCPU, torch::kFloat64).contiguous();
    rewards.model.assign(scores.data_ptr<double>(), scores.data_ptr<double>() + scores.numel());
    for (size_t i = 0; i < rewards.total.size(); ++i)
        rewards.total[i] += weights.model * rewards.model[i];
    return rewards;
}

void RolloutTrainer::addRolloutMetrics(run::StepMetrics& metrics, const Rollouts& rollouts,
                                       const RewardBreakdown& rewards, int64_t responseTokens) {
    metrics.extra.push_back({run::kMetricReward, mean(rewards.total)});
    for (size_t r = 0; r < data::ruleRewards().size(); ++r)
        metrics.extra.push_back(
            {run::rewardPartKey(data::ruleRewards()[r].name), mean(rewards.parts[r])});
    if (!rewards.model.empty())
        metrics.extra.push_back({run::rewardPartKey("model"), mean(rewards.model)});
    metrics.extra.push_back(
        {run::kMetricResponseLength, double(responseTokens) / double(rollouts.responses.size())});
}

void RolloutTrainer::inspect(run::StepMetrics& metrics, const Rollouts& rollouts,
                             const RewardBreakdown& rewards, const ResponseBatch& batch,
                             const torch::Tensor& kl_BT1, run::KlEstimator estimator,
                             const std::vector<double>& advantages) const {
    if (m_rollout.inspectResponses == 0 || metrics.step % m_rollout.inspectEvery != 0) return;
    metrics.rollouts =
        inspectRollouts(rollouts, rewards, m_config.align.rewards, m_tokenizer, batch, kl_BT1,
                        advantages, size_t(m_rollout.inspectResponses));
    if (kl_BT1.defined()) metrics.rollouts.klEstimator = run::klEstimatorName(estimator);
}

run::EvalMetrics RolloutTrainer::evaluate() {
    // eval_batches batches of micro_batch_size prompts, each batch as wide as a step's rollouts.
    const run::TrainConfig& t = m_config.train;
    size_t limit = std::min(m_val.size(), size_t(t.evalBatches) * size_t(t.microBatchSize));
    std::vector<data::TaskExample> tasks(m_val.begin(), m_val.begin() + std::ptrdiff_t(limit));
    auto scope = m_precision.forwardScope();
    auto lora = adapterScope();
    double matched = exactMatch(m_policy, m_chat, m_tokenizer, tasks, m_rollout.maxNewTokens,
                                t.microBatchSize * m_samplesPerPrompt);
    run::EvalMetrics metrics;
    metrics.loss = 1.0 - matched;
    metrics.tokens = int64_t(tasks.size());
    metrics.extra.push_back({run::kMetricExactMatch, matched});
    return metrics;
}

}  // namespace strata::align
