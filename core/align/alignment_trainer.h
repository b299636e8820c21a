// What every alignment stage's trainer shares: the policy loaded from init.model (or the run's
// latest checkpoint when resuming), its tokenizer and chat template, the device and precision,
// AdamW over the policy and any module trained beside it, the learning-rate schedule, gradient
// clipping with non-finite steps skipped, checkpoints, LoRA adapters for the stages that train
// them, and frozen copies of other models (the reference, the reward model). A stage adds its data,
// its step and its validation pass.
#pragma once

#include "core/align/reward_model.h"
#include "core/model/lora.h"
#include "core/model/transformer.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/optimizer_step.h"
#include "core/train/precision_policy.h"
#include "core/train/training_loop.h"

#include <torch/optim/adamw.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

namespace strata::align {

class AlignmentTrainer : public train::TrainingLoop {
public:
    // Checks init.model and the tokenizer; nothing is written.
    AlignmentTrainer(run::RunConfig config, std::filesystem::path runDir, run::MetricsSink& sink);
    ~AlignmentTrainer() override;

    model::Transformer& policy() { return m_policy; }

protected:
    // Loads the policy from init.model onto the device (prepare() does, when it is not loaded).
    void loadPolicy();
    // Builds the optimizer over the policy and `extras` and, when resuming, restores the latest
    // checkpoint of the run folder; otherwise refuses a folder that already holds one.
    void prepare(bool resume, std::vector<train::ExtraModule> extras = {});
    // prepare(), and with `lora.enabled` the policy frozen and LoRA adapters added to it first,
    // trained as the extra module model::kLoraName (its checkpoints' lora.safetensors).
    void prepareWithLora(bool resume, const run::LoraConfig& lora);
    // While alive, the policy's forward passes on this thread include the adapters; nothing
    // without LoRA. Open one around every forward of the policy as it trains.
    std::optional<model::LoraAdaptersImpl::Scope> adapterScope();
    // The step's optimizer update (OptimizerStep: clipping, the guard against non-finite steps,
    // the scheduled learning rate, AdamW), then zeroed gradients. Fills loss, lr, gradNorm and
    // skipped of `metrics`.
    void applyGradients(run::StepMetrics& metrics, double loss);
    // Counts the step: step, tokens and timing of `metrics`.
    void countStep(run::StepMetrics& metrics, int64_t tokens,
                   std::chrono::steady_clock::time_point started);
    void finishStep(run::StepMetrics& metrics, double loss, int64_t tokens,
                    std::chrono::steady_clock::time_point started) {
        applyGradients(metrics, loss);
        countStep(metrics, tokens, started);
    }
    // A model folder's transformer on the device, frozen; its tokenizer must be the policy's.
    model::Transformer loadFrozen(const std::filesystem::path& folder, const char* key) const;
    // The frozen reference of DPO, PPO and GRPO: init.reference, or init.model.
    void loadReference();
    // A reward run's checkpoint on the device, frozen or trainable; its tokenizer must be the
    // policy's.
    RewardModel loadReward(const std::filesystem::path& folder, const char* key, bool frozen) const;

    run::RunStarted startInfo() override;
    std::filesystem::path writeCheckpoint() override;

    run::RunConfig m_config;
    std::filesystem::path m_runDir;
    torch::Device m_device;
    train::PrecisionPolicy m_precision;
    tokenizer::Tokenizer m_tokenizer;
    std::string m_tokenizerFingerprint;
    tokenizer::ChatTemplate m_chat;
    model::Transformer m_policy{nullptr};
    model::Transformer m_reference{nullptr};
    model::LoraAdapters m_lora{nullptr};  // with the stage's lora key
    std::vector<train::ExtraModule> m_extras;
    std::unique_ptr<torch::optim::AdamW> m_optimizer;
    std::string m_resumedFrom;

private:
    // Refuses a model folder trained with another tokenizer; `key` names the config key.
    void checkTokenizer(const std::filesystem::path& folder, const char* key) const;

    train::OptimizerStep m_optimizerStep{m_config};
};

}  // namespace strata::align
