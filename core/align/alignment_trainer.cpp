#include "core/align/alignment_trainer.h"

#include "core/common/error.h"
#include "core/model/model_folder.h"
#include "core/model_spec/model_size.h"
#include "core/tokenizer/tokenizer_json.h"
#include "core/train/devices.h"
#include "core/train/optimizer.h"

#include <torch/torch.h>

namespace strata::align {

namespace fs = std::filesystem;
using common::fail;

namespace {

tokenizer::Tokenizer checkedTokenizer(const run::RunConfig& config) {
    const fs::path& path = config.data.tokenizer;
    if (!fs::is_regular_file(path)) fail("{}: no such tokenizer (data.tokenizer)", path.string());
    fs::path initial = config.align.init.model / model::kTokenizerFile;
    if (fs::is_regular_file(initial) &&
        tokenizer::tokenizerFingerprint(initial) != tokenizer::tokenizerFingerprint(path))
        fail("{}: data.tokenizer is not the tokenizer init.model was trained with ({})",
             path.string(), initial.string());
    return tokenizer::loadTokenizer(path);
}

}  // namespace

AlignmentTrainer::AlignmentTrainer(run::RunConfig config, fs::path runDir, run::MetricsSink& sink)
    : TrainingLoop(m_config, sink),
      m_config(std::move(config)),
      m_runDir(std::move(runDir)),
      m_device(train::rankDevice(m_config.train.device)),
      m_precision(m_config, m_device),
      m_tokenizer(checkedTokenizer(m_config)),
      m_tokenizerFingerprint(tokenizer::tokenizerFingerprint(m_config.data.tokenizer)),
      m_chat(tokenizer::modelChatTemplate(m_config.align.init.model, m_tokenizer)) {
    if (m_tokenizer.vocabSize() > size_t(m_config.model.vocabSize))
        fail("{}: the tokenizer has {} tokens, more than model.vocab_size {}",
             m_config.data.tokenizer.string(), m_tokenizer.vocabSize(), m_config.model.vocabSize);
    if (m_config.train.threads > 0) at::set_num_threads(m_config.train.threads);
    torch::manual_seed(m_config.train.seed);
}

AlignmentTrainer::~AlignmentTrainer() = default;

void AlignmentTrainer::loadPolicy() {
    m_policy = model::loadModelFolder(m_config.align.init.model).model;
    m_policy->to(m_device);
    m_policy->setActivationCheckpointing(m_config.train.activationCheckpointing);
}

void AlignmentTrainer::prepare(bool resume, std::vector<train::ExtraModule> extras) {
    std::optional<fs::path> checkpoint = train::latestCheckpoint(m_runDir);
    if (resume && !checkpoint)
        fail("{}: no checkpoint to resume from", (m_runDir / "checkpoints").string());
    if (!resume && checkpoint)
        fail("{}: already holds a run with checkpoints; resume it or choose another run folder",
             m_runDir.string());
    if (!m_policy) loadPolicy();
    m_extras = std::move(extras);
    torch::nn::Module trainable;
    trainable.register_module("model", m_policy.ptr());
    for (train::ExtraModule& extra : m_extras) {
        extra.module->to(m_device);
        trainable.register_module(extra.name, extra.module);
    }
    m_optimizer = train::makeAdamW(trainable, m_config.optim);
    fs::create_directories(m_runDir);
    if (checkpoint) {
        m_state = train::loadCheckpoint(*checkpoint, m_config, m_tokenizerFingerprint, m_policy,
                                        *m_optimizer, m_extras);
        m_resumedFrom = checkpoint->string();
        resumedFrom(*checkpoint);
    }
    m_state.tokenizerFingerprint = m_tokenizerFingerprint;
}

void AlignmentTrainer::prepareWithLora(bool resume, const run::LoraConfig& lora) {
    if (!lora.enabled) {
        prepare(resume);
        return;
    }
    loadPolicy();
    m_lora = model::LoraAdapters(m_policy, lora.rank, lora.alpha);
    prepare(resume, {{model::kLoraName, m_lora.ptr()}});
}

std::optional<model::LoraAdaptersImpl::Scope> AlignmentTrainer::adapterScope() {
    using Scope = model::LoraAdaptersImpl::Scope;  // neither copied nor moved: built in place
    return m_lora ? std::optional<Scope>(std::in_place, *m_lora) : std::optional<Scope>();
}

void AlignmentTrainer::checkTokenizer(const fs::path& folder, const char* key) const {
    fs::path tokenizerPath = folder / model::kTokenizerFile;
    if (fs::is_regular_file(tokenizerPath) &&
        tokenizer::tokenizerFingerprint(tokenizerPath) != m_tokenizerFingerprint)
        fail("{}: {} was trained with another tokenizer than the policy ({})", folder.string(), key,
             m_config.data.tokenizer.string());
}

model::Transformer AlignmentTrainer::loadFrozen(const fs::path& folder, const char* key) const {
    checkTokenizer(folder, key);
    model::LoadedModel loaded = model::loadModelFolder(folder);
    loaded.model->to(m_device);
    loaded.model->eval();
    for (torch::Tensor& parameter : loaded.model->parameters())
        parameter.requires_grad_(false);
    return loaded.model;
}

void AlignmentTrainer::loadReference() {
    const run::InitConfig& init = m_config.align.init;
    m_reference = loadFrozen(init.reference.empty() ? init.model : init.reference,
                             init.reference.empty() ? "init.model" : "init.reference");
}

RewardModel AlignmentTrainer::loadReward(const fs::path& folder, const char* key,
                                         bool frozen) const {
    checkTokenizer(folder, key);
    RewardModel reward = loadRewardModel(folder);
    reward.body->to(m_device);
    reward.head->to(m_device);
    if (frozen) {
        reward.body->eval();
        reward.head->eval();
        for (torch::Tensor& parameter : reward.body->parameters())
            parameter.requires_grad_(false);
        for (torch::Tensor& parameter : reward.head->parameters())
            parameter.requires_grad_(false);
    }
    return reward;
}

void AlignmentTrainer::applyGradients(run::StepMetrics& metrics, double loss) {
    metrics.loss = loss;
    m_optimizerStep.apply(*m_optimizer, metrics, m_state.step);
    m_optimizer->zero_grad();
}

void AlignmentTrainer::countStep(run::StepMetrics& metrics, int64_t tokens,
                                 std::chrono::steady_clock::time_point started) {
    m_state.step += 1;
    m_state.tokens += tokens;
    metrics.step = m_state.step;
    metrics.tokens = m_state.tokens;
    if (m_device.is_cuda()) torch::cuda::synchronize(m_device.index());
    metrics.stepSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics.tokensPerSecond = double(tokens) / metrics.stepSeconds;
    metrics.memoryBytes = train::stepMemoryBytes(m_device);
}

run::RunStarted AlignmentTrainer::startInfo() {
    model_spec::ParameterCounts counts = model_spec::countParameters(m_config.model);
    return {m_state.step,   m_config.train.maxSteps, m_device.str(), m_precision.name(),
            counts.total(), counts.activePerToken,   m_resumedFrom,  run::runConfigText(m_config)};
}

fs::path AlignmentTrainer::writeCheckpoint() {
    return train::saveCheckpoint(m_runDir, m_config, m_policy, *m_optimizer, m_state, m_extras);
}

}  // namespace strata::align
