#include "core/train/pretrainer.h"

#include "core/common/error.h"
#include "core/distributed/data_parallel.h"
#include "core/distributed/expert_parallel.h"
#include "core/distributed/optimizer_shards.h"
#include "core/distributed/process_group.h"
#include "core/distributed/run_agreement.h"
#include "core/model/linear_cross_entropy.h"
#include "core/model/router_load_sum.h"
#include "core/model_spec/model_size.h"
#include "core/tokenizer/tokenizer_json.h"
#include "core/train/devices.h"
#include "core/train/optimizer.h"

#include <torch/cuda.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace strata::train {

namespace fs = std::filesystem;
using common::fail;

namespace {

double seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// One copy to the host, flattened to doubles.
std::vector<double> toVector(const torch::Tensor& tensor) {
    torch::Tensor values =
        tensor.detach().to(torch::kCPU, torch::kFloat64).contiguous().reshape({-1});
    return {values.data_ptr<double>(), values.data_ptr<double>() + values.numel()};
}

}  // namespace

Pretrainer::Pretrainer(run::RunConfig config, fs::path runDir, run::MetricsSink& sink, bool resume)
    : TrainingLoop(m_config, sink),
      m_config(std::move(config)),
      m_launch(run::launchEnvironmentFromProcess()),
      m_runDir(std::move(runDir)),
      m_sink(sink),
      m_device(rankDevice(m_config.train.device, m_launch)),
      m_precision(m_config, m_device) {
    const run::RunConfig& c = m_config;
    const fs::path& tokenizerPath = c.data.tokenizer;
    if (!fs::is_regular_file(tokenizerPath))
        fail("{}: no such tokenizer (data.tokenizer)", tokenizerPath.string());
    size_t vocabSize = tokenizer::loadTokenizer(tokenizerPath).vocabSize();
    if (vocabSize != size_t(c.model.vocabSize))
        fail("{}: the tokenizer has {} tokens, but model.vocab_size is {}", tokenizerPath.string(),
             vocabSize, c.model.vocabSize);
    m_tokenizerFingerprint = tokenizer::tokenizerFingerprint(tokenizerPath);

    const std::string shards = c.data.shards.string();
    m_trainData = std::make_unique<data::TokenDataset>(c.data.shards, "train");
    if (m_trainData->tokenizerFingerprint() != m_tokenizerFingerprint)
        fail("{}: the shards were encoded with another tokenizer (fingerprint {}; {} has {})",
             shards, m_trainData->tokenizerFingerprint(), tokenizerPath.string(),
             m_tokenizerFingerprint);
    run::requireRunSplitsAcross(c, m_launch.worldSize);
    const int seqLen = c.resolvedSequenceLength();
    m_trainSequences =
        std::make_unique<data::PackedSequences>(*m_trainData, uint32_t(seqLen), c.train.seed);
    if (m_trainSequences->size() < uint64_t(c.train.microBatchSize))
        fail(
            "{}: the train split has {} tokens, too few for one micro-batch of {} sequences of "
            "{} tokens (train.micro_batch_size)",
            shards, m_trainData->numTokens(), c.train.microBatchSize, seqLen + 1);
    if (c.train.evalEvery > 0) {
        m_valData = std::make_unique<data::TokenDataset>(c.data.shards, "val");
        m_valSequences =
            std::make_unique<data::PackedSequences>(*m_valData, uint32_t(seqLen), c.train.seed);
        if (m_valSequences->size() == 0)
            fail(
                "{}: the val split has {} tokens, too few for one sequence of {} tokens; set "
                "train.eval_every = 0 to train without validation",
                shards, m_valData->numTokens(), seqLen + 1);
    }

    std::optional<fs::path> checkpoint = latestCheckpoint(m_runDir);
    if (resume && !checkpoint)
        fail("{}: no checkpoint to resume from", (m_runDir / "checkpoints").string());
    if (!resume && checkpoint)
        fail("{}: already holds a run with checkpoints; resume it or choose another run folder",
             m_runDir.string());
    fs::create_directories(m_runDir);

    if (c.train.threads > 0) at::set_num_threads(c.train.threads);
    torch::manual_seed(c.train.seed);
    m_model = model::Transformer(c.model);
    m_model->setActivationCheckpointing(c.train.activationCheckpointing);
    m_model->to(m_device);
    m_precision.trainModel(*m_model);
    m_optimizer = makeAdamW(*m_model, c.optim);
    if (checkpoint) {
        m_state = loadCheckpoint(*checkpoint, c, m_tokenizerFingerprint, m_model, *m_optimizer);
        if (!m_state.precision.empty())
            m_precision.loadState(m_state.precision,
                                  (*checkpoint / "precision.safetensors").string());
        m_resumedFrom = checkpoint->string();
        resumedFrom(*checkpoint);
    }
    m_state.tokenizerFingerprint = m_tokenizerFingerprint;
    if (m_launch.worldSize > 1) joinRanks(checkpoint);

    m_flopsPerToken = model_spec::trainingFlopsPerToken(c.model, seqLen);
    m_peakFlops = c.train.peakFlops > 0 ? c.train.peakFlops
                  : m_device.is_cuda()  ? knownPeakBf16Flops(deviceName(m_device))
                                        : 0.0;
}

Pretrainer::~Pretrainer() = default;

void Pretrainer::joinRanks(const std::optional<fs::path>& checkpoint) {
    m_group = distributed::ProcessGroup::join(m_launch, m_device,
                                              std::chrono::seconds(m_config.dist.timeoutSeconds));
    m_ownsRunFolder = m_launch.writesRunFolder();
    m_rankEvents = std::make_unique<run::RankEvents>(
        m_sink, m_group->rank(), [this](const std::string& text) { m_group->leaveForMain(text); },
        [this] {
            std::vector<run::RankText> texts;
            for (distributed::ProcessGroup::LeftText& left : m_group->takeLeftTexts())
                texts.push_back({left.rank, std::move(left.text)});
            return texts;
        });
    sendEventsThrough(*m_rankEvents);
    // With a run folder per host each host keeps its data where it likes: the data are the same
    // when their tokenizer and size are.
    run::RunConfig agreed = m_config;
    if (m_launch.runDirPerHost) agreed.data.shards = agreed.data.tokenizer = "(this host's)";
    distributed::requireSameRun(
        *m_group,
        fmt::format("{}\n# tokenizer {}\n# {} training tokens\n# resumed from {}\n",
                    run::runConfigText(agreed), m_tokenizerFingerprint, m_trainData->numTokens(),
                    checkpoint ? checkpoint->filename().string() : "nothing"));
    if (m_config.dist.expertParallel) {
        m_expertParallel =
            std::make_unique<distributed::ExpertParallel>(*m_group, *m_model, *m_optimizer);
        const int64_t held = m_expertParallel->heldExperts();
        noteAtStart(fmt::format("expert parallelism: rank {} holds experts {}-{} of each MoE layer",
                                m_group->rank(), m_group->rank() * held,
                                (m_group->rank() + 1) * held - 1));
    }
    auto heldHereOnly = [this](const torch::Tensor& parameter) {
        return m_expertParallel && m_expertParallel->holds(parameter);
    };
    m_dataParallel = std::make_unique<distributed::DataParallel>(
        *m_group, *m_model, m_config.dist.bucketMb, heldHereOnly);
    if (m_config.dist.zero1) {
        // Each rank keeps the moments of its own experts anyway; ZeRO-1 shards the rest.
        std::vector<torch::Tensor> parameters;
        for (const auto& group : m_optimizer->param_groups())
            for (const torch::Tensor& parameter : group.params())
                if (!heldHereOnly(parameter)) parameters.push_back(parameter);
        m_optimizerShards = std::make_unique<distributed::OptimizerShards>(*m_group, parameters);
        m_optimizerShards->dropUnownedState(*m_optimizer);
        noteAtStart(fmt::format("ZeRO-1: rank {} keeps AdamW's moments for {} of {} parameters",
                                m_group->rank(), m_optimizerShards->ownedElements(),
                                m_optimizerShards->totalElements()));
    }
}

int Pretrainer::agreedRequests(int requests) {
    if (!m_group) return requests;
    torch::Tensor flags =
        torch::tensor({int64_t(requests & kPauseRequested), int64_t(requests & kStopRequested),
                       int64_t(requests & kInterruptRequested)})
            .to(m_device);
    m_group->allReduceMax(flags, "agreeing on pause and stop requests");
    return int(flags.sum().item<int64_t>());
}

bool Pretrainer::onEveryRank(bool condition) {
    // Only experts' gradients differ between ranks; the others are all-reduced already.
    if (!m_expertParallel) return condition;
    torch::Tensor failed = torch::tensor({int64_t(!condition)}).to(m_device);
    m_group->allReduceMax(failed, "agreeing whether the gradients are finite");
    return failed.item<int64_t>() == 0;
}

void Pretrainer::averageOverRanks(std::vector<torch::Tensor>& parts) {
    if (!m_group) return;
    std::vector<int64_t> sizes;
    std::vector<torch::Tensor> flat;
    for (const torch::Tensor& part : parts) {
        sizes.push_back(part.numel());
        flat.push_back(part.to(torch::kFloat32).reshape({-1}));
    }
    torch::Tensor all = torch::cat(flat);
    m_group->allReduceSum(all, "averaging the step's statistics");
    all /= double(m_group->size());
    int64_t offset = 0;
    for (size_t i = 0; i < parts.size(); ++i) {
        parts[i] = all.narrow(0, offset, sizes[i]).view_as(parts[i]);
        offset += sizes[i];
    }
}

run::RunStarted Pretrainer::startInfo() {
    model_spec::ParameterCounts counts = model_spec::countParameters(m_config.model);
    return {m_state.step,   m_config.train.maxSteps, m_device.str(), m_precision.name(),
            counts.total(), counts.activePerToken,   m_resumedFrom,  run::runConfigText(m_config)};
}

torch::Tensor Pretrainer::readSequences(const data::PackedSequences& sequences, uint64_t first,
                                        int count) const {
    const int64_t width = m_config.resolvedSequenceLength() + 1;
    torch::Tensor batch = torch::empty({count, width}, torch::kInt64);
    int64_t* tokens = batch.data_ptr<int64_t>();
    for (int i = 0; i < count; ++i) {
        uint64_t index = first + uint64_t(i);
        sequences.sequence(index / sequences.size(), index % sequences.size(),
                           {tokens + i * width, size_t(width)});
    }
    return copyToDevice(batch, m_device);
}

run::StepMetrics Pretrainer::trainStep() {
    const auto start = std::chrono::steady_clock::now();
    resetPeakMemory(m_device);
    m_model->train();
    m_optimizer->zero_grad();

    StepSums sums = accumulateMicroBatches();
    averageOverRanks(sums);
    run::StepMetrics metrics;
    // The step's statistics cross to the host in one copy, its router loads and biases in another,
    // so on CUDA the step never waits on a statistic.
    const std::vector<double> host = applyUpdate(sums, metrics);
    m_precision.finishStep(metrics);
    updateRouters(sums, host, metrics);

    m_state.step += 1;
    m_state.tokens += m_config.tokensPerStep();
    metrics.step = m_state.step;
    metrics.tokens = m_state.tokens;
    if (m_device.is_cuda()) torch::cuda::synchronize(m_device.index());
    metrics.stepSeconds = seconds(start);
    metrics.tokensPerSecond = double(m_config.tokensPerStep()) / metrics.stepSeconds;
    if (m_peakFlops > 0) metrics.mfu = m_flopsPerToken * metrics.tokensPerSecond / m_peakFlops;
    metrics.memoryBytes = stepMemoryBytes(m_device);
    return metrics;
}

Pretrainer::StepSums Pretrainer::accumulateMicroBatches() {
    const run::TrainConfig& t = m_config.train;
    const int seqLen = m_config.resolvedSequenceLength();
    const size_t numMoe = size_t(m_config.model.numMoeLayers());
    auto floatOptions = torch::TensorOptions().device(m_device).dtype(torch::kFloat32);
    StepSums sums{torch::zeros({}, floatOptions), torch::zeros({}, floatOptions),
                  std::vector<torch::Tensor>(numMoe), std::vector<torch::Tensor>(numMoe)};
    // This rank's share of every micro-batch: the same sequences one process would train on,
    // split in rank order. The routers balance the whole micro-batch's load, not the slice's.
    model::RouterLoadSumScope globalLoads(
        m_group ? model::SumOverRanks([this](torch::Tensor& counts_E) {
            m_group->allReduceSum(counts_E, "adding up the experts' loads");
        })
                : nullptr);
    const int rankBatch = t.microBatchSize / m_launch.worldSize;
    for (int micro = 0; micro < t.gradAccumSteps; ++micro) {
        uint64_t first =
            m_config.firstSequence(m_state.step, micro, m_launch.rank, m_launch.worldSize);
        torch::Tensor batch = readSequences(*m_trainSequences, first, rankBatch);
        torch::Tensor inputs = batch.narrow(1, 0, seqLen);
        torch::Tensor targets = batch.narrow(1, 1, seqLen).reshape({-1});
        model::TransformerOutput out;
        torch::Tensor crossEntropy;
        {
            auto scope = m_precision.forwardScope();
            out = m_model->forwardHidden(inputs);
            crossEntropy =
                model::linearCrossEntropy(out.hidden_BTD.reshape({-1, m_config.model.dModel}),
                                          m_model->outputWeight(), targets);
        }
        torch::Tensor loss =
            m_precision.lossForBackward((crossEntropy + out.routerLoss) / double(t.gradAccumSteps));
        if (m_dataParallel)
            m_dataParallel->backward(loss, micro + 1 == t.gradAccumSteps);
        else
            loss.backward();
        sums.loss += crossEntropy.detach();
        sums.routerLoss += out.routerLoss.detach().to(torch::kFloat32);
        for (size_t i = 0; i < numMoe; ++i) {
            const model::RouterOutput& routing = out.routing[i];
            torch::Tensor stats = torch::stack({routing.entropy.to(torch::kFloat32),
                                                routing.dropped.to(torch::kFloat32),
                                                routing.auxLoss.detach().to(torch::kFloat32),
                                                routing.zLoss.detach().to(torch::kFloat32)});
            sums.load_E[i] = micro == 0 ? routing.load_E : sums.load_E[i] + routing.load_E;
            sums.stats[i] = micro == 0 ? stats : sums.stats[i] + stats;
        }
    }
    return sums;
}

void Pretrainer::averageOverRanks(StepSums& sums) {
    // The ranks' losses and loads are averaged (their micro-batches are equal in size), so every
    // rank moves the router biases alike and reports the global batch's numbers.
    const auto numMoe = std::ptrdiff_t(sums.stats.size());
    std::vector<torch::Tensor> parts{sums.loss, sums.routerLoss};
    parts.insert(parts.end(), sums.stats.begin(), sums.stats.end());
    parts.insert(parts.end(), sums.load_E.begin(), sums.load_E.end());
    averageOverRanks(parts);
    sums.loss = parts[0];
    sums.routerLoss = parts[1];
    std::copy_n(parts.begin() + 2, numMoe, sums.stats.begin());
    std::copy_n(parts.begin() + 2 + numMoe, numMoe, sums.load_E.begin());
}

std::vector<double> Pretrainer::applyUpdate(const StepSums& sums, run::StepMetrics& metrics) {
    if (m_expertParallel) m_expertParallel->averageGradients();
    StepHooks hooks;
    // fp16: a step whose gradients overflowed is skipped and only lowers the loss scale.
    hooks.overflowed = !m_precision.gradientsFinite(
        m_model->parameters(), [this](bool finite) { return onEveryRank(finite); });
    hooks.clipGradients = [this](double maxNorm) {
        return m_expertParallel ? m_expertParallel->clipGradientNorm(m_model->parameters(), maxNorm)
                                : torch::nn::utils::clip_grad_norm_(m_model->parameters(), maxNorm);
    };
    if (m_optimizerShards) {
        hooks.beforeStep = [this] { m_optimizerShards->dropUnownedGradients(); };
        hooks.afterStep = [this] { m_optimizerShards->broadcastUpdatedParameters(); };
    }
    std::vector<torch::Tensor> scalars{sums.loss.unsqueeze(0), sums.routerLoss.unsqueeze(0)};
    scalars.insert(scalars.end(), sums.stats.begin(), sums.stats.end());
    std::vector<double> host =
        toVector(torch::cat(scalars) / double(m_config.train.gradAccumSteps));
    metrics.loss = host[0];
    metrics.routerLoss = host[1];
    m_optimizerStep.apply(*m_optimizer, metrics, m_state.step, hooks);
    return host;
}

void Pretrainer::updateRouters(const StepSums& sums, const std::vector<double>& host,
                               run::StepMetrics& metrics) {
    const run::TrainConfig& t = m_config.train;
    const size_t numMoe = sums.load_E.size();
    if (numMoe == 0) return;
    std::vector<int> moeLayers;
    for (int layer = 0; layer < m_config.model.numLayers; ++layer)
        if (m_config.model.isMoeLayer(layer)) moeLayers.push_back(layer);
    std::vector<torch::Tensor> loadsAndBiases;
    for (size_t i = 0; i < numMoe; ++i) {
        model::MoeRouter& moeRouter = m_model->blocks[size_t(moeLayers[i])]->moe->router;
        torch::Tensor load_E = sums.load_E[i] / double(t.gradAccumSteps);
        if (!metrics.skipped) moeRouter->updateBias(load_E);
        loadsAndBiases.push_back(load_E);
        loadsAndBiases.push_back(moeRouter->bias_E);
    }
    const size_t experts = size_t(m_config.model.moe.numRoutedExperts);
    std::vector<double> values = toVector(torch::cat(loadsAndBiases));
    for (size_t i = 0; i < numMoe; ++i) {
        run::LayerRouterStats layer;
        layer.layer = moeLayers[i];
        auto load = values.begin() + std::ptrdiff_t(2 * i * experts);
        layer.load.assign(load, load + std::ptrdiff_t(experts));
        layer.bias.assign(load + std::ptrdiff_t(experts), load + std::ptrdiff_t(2 * experts));
        const double* stats = host.data() + 2 + 4 * i;
        layer.entropy = stats[0];
        layer.dropped = int64_t(std::llround(stats[1] * t.gradAccumSteps * m_launch.worldSize));
        layer.balanceLoss = stats[2];
        layer.zLoss = stats[3];
        metrics.router.push_back(std::move(layer));
    }
}

run::EvalMetrics Pretrainer::evaluate() {
    torch::NoGradGuard noGrad;
    m_model->eval();
    const int seqLen = m_config.resolvedSequenceLength();
    const int batchSize = m_config.train.microBatchSize;
    const uint64_t total = std::min<uint64_t>(m_valSequences->size(),
                                              uint64_t(m_config.train.evalBatches) * batchSize);
    torch::Tensor lossSum =
        torch::zeros({}, torch::TensorOptions().device(m_device).dtype(torch::kFloat64));
    // Rank r evaluates batches r, r + N, ...; the sums are added up across the ranks. Under
    // expert parallelism every rank takes part in every forward pass's exchanges, so a rank left
    // without a batch in the last round evaluates the first batch again and leaves its loss out.
    const uint64_t batches = (total + batchSize - 1) / batchSize;
    const uint64_t ranks = uint64_t(m_launch.worldSize);
    const uint64_t rounds = (batches + ranks - 1) / ranks;
    for (uint64_t round = 0; round < rounds; ++round) {
        const uint64_t index = round * ranks + uint64_t(m_launch.rank);
        const bool counted = index < batches;
        if (!counted && !m_expertParallel) break;
        const uint64_t first = counted ? index * batchSize : 0;
        int count = int(std::min<uint64_t>(uint64_t(batchSize), total - first));
        torch::Tensor batch = readSequences(*m_valSequences, first, count);
        auto scope = m_precision.forwardScope();
        torch::Tensor hidden_BTD = m_model->forwardHidden(batch.narrow(1, 0, seqLen)).hidden_BTD;
        if (!counted) continue;
        // The output projection and cross-entropy in row chunks, as in training: the (tokens x
        // vocabulary) logits never exist whole.
        torch::Tensor hidden_ND = hidden_BTD.reshape({-1, hidden_BTD.size(-1)});
        lossSum += model::linearCrossEntropy(hidden_ND, m_model->outputWeight(),
                                             batch.narrow(1, 1, seqLen).reshape({-1}))
                       .to(torch::kFloat64) *
                   double(hidden_ND.size(0));
    }
    m_model->train();
    if (m_group) m_group->allReduceSum(lossSum, "adding up the validation losses");

    run::EvalMetrics metrics;
    metrics.tokens = int64_t(total) * seqLen;
    metrics.loss = lossSum.item<double>() / double(metrics.tokens);
    metrics.perplexity = std::exp(metrics.loss);
    return metrics;
}

fs::path Pretrainer::writeCheckpoint() {
    m_state.precision = m_precision.state();
    if (m_optimizerShards) m_optimizerShards->gatherState(*m_optimizer);
    if (m_expertParallel) m_expertParallel->gatherWhole(*m_optimizer);
    fs::path folder = m_ownsRunFolder
                          ? saveCheckpoint(m_runDir, m_config, m_model, *m_optimizer, m_state)
                          : checkpointFolder(m_runDir, m_state.step);
    if (m_expertParallel) m_expertParallel->keepOwn(*m_optimizer);
    if (m_optimizerShards) m_optimizerShards->dropUnownedState(*m_optimizer);
    return folder;
}

}  // namespace strata::train
