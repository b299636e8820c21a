#include "core/align/sft_trainer.h"

#include "core/align/held_out_split.h"
#include "core/common/error.h"
#include "core/data/sft_examples.h"
#include "core/model/linear_cross_entropy.h"
#include "core/run/metric_keys.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>
#include <vector>

namespace strata::align {

using common::fail;

namespace {

// The conversations in curriculum order, encoded.
std::vector<tokenizer::ChatTokens> encodeInOrder(std::vector<data::SftExample> examples,
                                                 run::Curriculum curriculum,
                                                 const tokenizer::ChatTemplate& chat, uint64_t seed,
                                                 const std::string& file) {
    if (curriculum == run::Curriculum::Difficulty) {
        for (size_t i = 0; i < examples.size(); ++i)
            if (!examples[i].difficulty)
                fail(
                    "{}: sft.curriculum is \"difficulty\", but conversation {} has no "
                    "\"difficulty\"",
                    file, i + 1);
        std::stable_sort(examples.begin(), examples.end(), [](const auto& a, const auto& b) {
            return *a.difficulty < *b.difficulty;
        });
    } else if (curriculum == run::Curriculum::None) {
        std::shuffle(examples.begin(), examples.end(), std::mt19937_64(seed));
    }
    std::vector<tokenizer::ChatTokens> encoded;
    for (const data::SftExample& example : examples)
        encoded.push_back(chat.encode(example.conversation));
    if (curriculum == run::Curriculum::Length)
        std::stable_sort(encoded.begin(), encoded.end(),
                         [](const auto& a, const auto& b) { return a.ids.size() < b.ids.size(); });
    return encoded;
}

}  // namespace

SftTrainer::SftTrainer(run::RunConfig config, std::filesystem::path runDir, run::MetricsSink& sink,
                       bool resume)
    : AlignmentTrainer(std::move(config), std::move(runDir), sink) {
    const run::RunConfig& c = m_config;
    bool validating = c.train.evalEvery > 0;
    Split<data::SftExample> split = splitHeldOut(
        data::readSftExamples(c.data.train),
        c.data.val.empty() ? std::vector<data::SftExample>{} : data::readSftExamples(c.data.val),
        c.data.valFraction, validating, c.train.seed, c.data.train, "conversations");
    const int64_t width = c.resolvedSequenceLength();
    run::Curriculum curriculum = c.align.sft.curriculum;
    m_train = std::make_unique<SftRows>(encodeInOrder(std::move(split.train), curriculum, m_chat,
                                                      c.train.seed, c.data.train.string()),
                                        width, c.align.sft.packing,
                                        curriculum == run::Curriculum::None, c.train.seed);
    if (validating)
        m_val =
            std::make_unique<SftRows>(encodeInOrder(std::move(split.val), run::Curriculum::Length,
                                                    m_chat, c.train.seed, c.data.train.string()),
                                      width, c.align.sft.packing, false, c.train.seed);
    if (m_train->size() == 0) fail("{}: no conversation to train on", c.data.train.string());
    // The "model never stops" trap: answers trained without the end of their turn.
    tokenizer::TokenId endOfTurn = m_chat.endOfTurn();
    if (!m_train->trainsTarget(endOfTurn))
        noteAtStart(fmt::format("no trained token of {} is the end-of-turn token {} ({}): the "
                                "model will not learn to stop its answers; check the chat "
                                "template and the conversations' assistant turns",
                                c.data.train.string(), endOfTurn,
                                m_tokenizer.decode(std::vector<tokenizer::TokenId>{endOfTurn})),
                    "warning");
    prepareWithLora(resume, c.align.sft.lora);
}

SftTrainer::BatchLoss SftTrainer::lossSum(const SftBatch& batch) {
    auto scope = m_precision.forwardScope();
    auto lora = adapterScope();
    model::TransformerOutput out =
        m_policy->forwardHidden(batch.inputs_BT, nullptr, batch.layout ? &*batch.layout : nullptr);
    // Only the trained targets go through the output projection, and that in chunks
    // (linear_cross_entropy.h): the (tokens x vocabulary) logits never exist whole.
    const torch::Tensor& rows_N = batch.trainedPositions_N;
    torch::Tensor hidden_ND =
        out.hidden_BTD.reshape({-1, out.hidden_BTD.size(-1)}).index_select(0, rows_N);
    torch::Tensor crossEntropy = model::weightedLinearCrossEntropy(
        hidden_ND, m_policy->outputWeight(), batch.targets_BT.reshape({-1}).index_select(0, rows_N),
        batch.weights_BT.reshape({-1}).index_select(0, rows_N));
    return {crossEntropy, out.routerLoss};
}

run::StepMetrics SftTrainer::trainStep() {
    auto started = std::chrono::steady_clock::now();
    const run::TrainConfig& t = m_config.train;
    m_policy->train();
    // Every micro-batch's tokens count alike: the loss is the step's weighted sum over its weight.
    std::vector<SftBatch> batches;
    double totalWeight = 0;
    for (int micro = 0; micro < t.gradAccumSteps; ++micro) {
        uint64_t first = (uint64_t(m_state.step) * t.gradAccumSteps + micro) * t.microBatchSize;
        batches.push_back(m_train->batch(first, t.microBatchSize, m_device));
        totalWeight += batches.back().trainedWeight;
    }
    const double weight = std::max(totalWeight, 1.0);
    // Summed on the device and read once, after the last backward.
    torch::Tensor stepLoss = torch::zeros({}, torch::TensorOptions(m_device));
    for (const SftBatch& batch : batches) {
        BatchLoss batchLoss = lossSum(batch);
        // The routers' balancing losses keep their pretraining weight, per micro-batch.
        (batchLoss.sum / weight + batchLoss.routerLoss / double(batches.size())).backward();
        stepLoss += batchLoss.sum.detach();
    }
    run::StepMetrics metrics;
    metrics.extra.push_back({run::kMetricTrainedTokens, weight});
    finishStep(metrics, stepLoss.item<double>() / weight, int64_t(weight), started);
    return metrics;
}

run::EvalMetrics SftTrainer::evaluate() {
    torch::NoGradGuard noGrad;
    m_policy->eval();
    const int batchSize = m_config.train.microBatchSize;
    const uint64_t total =
        std::min<uint64_t>(m_val->size(), uint64_t(m_config.train.evalBatches) * batchSize);
    double lossSumValue = 0, weight = 0;
    for (uint64_t first = 0; first < total; first += uint64_t(batchSize)) {
        int count = int(std::min<uint64_t>(uint64_t(batchSize), total - first));
        SftBatch batch = m_val->batch(first, count, m_device);
        lossSumValue += lossSum(batch).sum.item<double>();
        weight += batch.trainedWeight;
    }
    m_policy->train();
    run::EvalMetrics metrics;
    metrics.tokens = int64_t(weight);
    metrics.loss = lossSumValue / std::max(weight, 1.0);
    metrics.perplexity = std::exp(metrics.loss);
    return metrics;
}

}  // namespace strata::align
