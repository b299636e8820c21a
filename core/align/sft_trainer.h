// Supervised fine-tuning: the policy learns the assistant turns of data.train's conversations
// (sft_examples.h) through the chat template, with the loss on assistant tokens only, packed
// rows (sft_rows.h) and an optional curriculum. Validation: loss and perplexity of the assistant
// tokens of the held-out conversations. With sft.lora only LoRA adapters train (core/model/lora.h).
#pragma once

#include "core/align/alignment_trainer.h"
#include "core/align/sft_rows.h"

#include <memory>

namespace strata::align {

class SftTrainer : public AlignmentTrainer {
public:
    SftTrainer(run::RunConfig config, std::filesystem::path runDir, run::MetricsSink& sink,
               bool resume);

private:
    run::StepMetrics trainStep() override;
    run::EvalMetrics evaluate() override;
    struct BatchLoss {
        torch::Tensor sum;         // the weighted cross-entropy
        torch::Tensor routerLoss;  // the MoE layers' balancing losses
    };
    BatchLoss lossSum(const SftBatch& batch);

    std::unique_ptr<SftRows> m_train;
    std::unique_ptr<SftRows> m_val;
};

}  // namespace strata::align
