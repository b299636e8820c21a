#include "core/align/grpo_trainer.h"

#include "core/align/group_advantages.h"
#include "core/align/held_out_split.h"
#include "core/align/policy_losses.h"
#include "core/align/response_batch.h"
#include "core/align/rollouts.h"
#include "core/common/error.h"

#include <torch/torch.h>

#include <numeric>
#include <random>

namespace strata::align {

namespace {

double mean(const std::vector<double>& values) {
    return values.empty()
               ? 0.0
               : std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
}

}  // namespace

GrpoTrainer::GrpoTrainer(train::RunConfig config, std::filesystem::path runDir,
                         train::MetricsSink& sink, bool resume)
    : AlignmentTrainer(std::move(config), std::move(runDir), sink) {
    const train::RunConfig& c = m_config;
    if (c.align.rewards.model > 0)
        common::fail("{}: rewards.model: scoring with a reward model is not in this build yet",
                     c.data.train.string());
    Split<TaskExample> split = splitHeldOut(
        readTaskSet(c.data.train),
        c.data.val.empty() ? std::vector<TaskExample>{} : readTaskSet(c.data.val),
        c.data.valFraction, c.train.evalEvery > 0, c.train.seed, c.data.train, "tasks");
    m_train = std::move(split.train);
    m_val = std::move(split.val);
    if (!c.align.rewards.blocklist.empty())
        m_rewardContext.blocklist = data::WordBlocklist::fromFile(c.align.rewards.blocklist);
    // A prompt with no room for an answer would be sampled empty, step after step.
    const int64_t room = int64_t(c.model.contextLength) - c.align.grpo.rollout.maxNewTokens;
    for (const std::vector<TaskExample>* tasks : {&m_train, &m_val})
        for (const TaskExample& task : *tasks) {
            size_t length = m_chat.encodePrompt({{Role::User, task.prompt}}).size();
            const std::filesystem::path& file =
                tasks == &m_val && !c.data.val.empty() ? c.data.val : c.data.train;
            if (int64_t(length) > room)
                common::fail(
                    "{}: the prompt \"{:.40}\" has {} tokens; with grpo.max_new_tokens = {} "
                    "it does not fit model.context_length {}",
                    file.string(), task.prompt, length, c.align.grpo.rollout.maxNewTokens,
                    c.model.contextLength);
        }
    if (c.align.grpo.beta > 0) {
        const std::filesystem::path& reference =
            c.align.init.reference.empty() ? c.align.init.model : c.align.init.reference;
        m_reference = loadFrozen(reference, "init.reference");
    }
    prepare(resume);
}

std::vector<const TaskExample*> GrpoTrainer::stepTasks() const {
    const int count = m_config.train.microBatchSize;
    std::vector<const TaskExample*> tasks;
    uint64_t epochOf = ~uint64_t(0);
    std::vector<size_t> order(m_train.size());
    for (int i = 0; i < count; ++i) {
        uint64_t index = uint64_t(m_state.step) * uint64_t(count) + uint64_t(i);
        uint64_t epoch = index / m_train.size();
        if (epoch != epochOf) {
            std::iota(order.begin(), order.end(), 0);
            std::shuffle(order.begin(), order.end(), std::mt19937_64(m_config.train.seed + epoch));
            epochOf = epoch;
        }
        tasks.push_back(&m_train[order[index % m_train.size()]]);
    }
    return tasks;
}

train::StepMetrics GrpoTrainer::trainStep() {
    auto started = std::chrono::steady_clock::now();
    const GrpoConfig& g = m_config.align.grpo;
    const double temperature = g.rollout.temperature;
    std::vector<const TaskExample*> tasks = stepTasks();
    Rollouts rollouts =
        sampleRollouts(m_policy, m_chat, m_tokenizer, tasks, g.groupSize, g.rollout.maxNewTokens,
                       temperature, m_config.train.seed * 1000003 + uint64_t(m_state.step));
    RewardBreakdown rewards = scoreRollouts(rollouts, m_config.align.rewards, m_rewardContext);

    const int64_t prompts = int64_t(tasks.size()), group = g.groupSize;
    torch::Tensor rewards_NG =
        torch::tensor(rewards.total, torch::kFloat64).to(torch::kFloat32).view({prompts, group});
    torch::Tensor advantages_B =
        groupAdvantages(rewards_NG, g.aggregation != LossAggregation::DrGrpo).reshape({-1});
    ResponseBatch batch = makeResponseBatch(rollouts.prompts, rollouts.responses,
                                            m_config.resolvedSequenceLength(), m_device);
    torch::Tensor advantages_BT1 = advantages_B.to(m_device).unsqueeze(1).expand_as(batch.mask_BT1);
    torch::Tensor referenceLogProbs;
    if (m_reference) {
        torch::NoGradGuard noGrad;
        auto scope = m_precision.forwardScope();
        referenceLogProbs = tokenLogProbs(m_reference->forward(batch.tokens_BT).logits_BTV,
                                          batch.tokens_BT, temperature);
    }

    train::StepMetrics metrics;
    torch::Tensor oldLogProbs, lastLogits, lastKl, lastClipped;
    double loss = 0;
    m_policy->train();
    for (int epoch = 0; epoch < g.epochs; ++epoch) {
        torch::Tensor logits;
        {
            auto scope = m_precision.forwardScope();
            logits = m_policy->forward(batch.tokens_BT).logits_BTV;
        }
        torch::Tensor logProbs = tokenLogProbs(logits, batch.tokens_BT, temperature);
        // The samples came from the policy as it was before this step's first update.
        if (epoch == 0) oldLogProbs = logProbs.detach();
        SurrogateLoss surrogate = clippedSurrogate(logProbs, oldLogProbs, advantages_BT1, g.clip);
        torch::Tensor perToken = surrogate.loss_BT;
        if (m_reference) {
            torch::Tensor kl = klPerToken(logProbs, referenceLogProbs, g.klEstimator);
            perToken = perToken + g.beta * kl;
            lastKl = kl.detach();
        }
        torch::Tensor objective =
            aggregateLoss(perToken, batch.mask_BT1, g.aggregation, g.rollout.maxNewTokens);
        objective.backward();
        loss = objective.item<double>();
        lastClipped = surrogate.clipped_BT;
        lastLogits = logits.detach();
        applyGradients(metrics, loss);
    }
    torch::Tensor entropy = entropyPerToken(lastLogits.narrow(1, 0, lastLogits.size(1) - 1));

    metrics.extra.push_back({"reward", mean(rewards.total)});
    for (size_t r = 0; r < ruleRewards().size(); ++r)
        metrics.extra.push_back(
            {std::string("reward_") + ruleRewards()[r].name, mean(rewards.parts[r])});
    if (lastKl.defined())
        metrics.extra.push_back({"kl", maskedMean(lastKl, batch.mask_BT1).item<double>()});
    metrics.extra.push_back(
        {"clip_fraction", maskedMean(lastClipped, batch.mask_BT1).item<double>()});
    metrics.extra.push_back({"entropy", maskedMean(entropy, batch.mask_BT1).item<double>()});
    metrics.extra.push_back(
        {"response_length", double(batch.responseTokens) / double(rollouts.responses.size())});
    countStep(metrics, batch.responseTokens, started);
    return metrics;
}

train::EvalMetrics GrpoTrainer::evaluate() {
    // eval_batches batches of micro_batch_size prompts, each batch as wide as a step's rollouts.
    const train::TrainConfig& t = m_config.train;
    const GrpoConfig& g = m_config.align.grpo;
    size_t limit = std::min(m_val.size(), size_t(t.evalBatches) * size_t(t.microBatchSize));
    std::vector<TaskExample> tasks(m_val.begin(), m_val.begin() + std::ptrdiff_t(limit));
    double matched = exactMatch(m_policy, m_chat, m_tokenizer, tasks, g.rollout.maxNewTokens,
                                t.microBatchSize * g.groupSize);
    train::EvalMetrics metrics;
    metrics.loss = 1.0 - matched;
    metrics.tokens = int64_t(tasks.size());
    metrics.extra.push_back({"exact_match", matched});
    return metrics;
}

}  // namespace strata::align
