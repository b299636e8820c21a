// GRPO raises exact match on a toy task within a CI-sized budget: a tiny model fine-tuned briefly
// on "Echo: d" -> "d" (SFT) repeats the digit for some prompts only; GRPO with the correctness
// reward then makes it right on most held-out prompts. Each step shows the rollout inspector one
// prompt's group with the advantages the step trained on. With grpo.lora only the adapters train,
// against the model under them as the reference.
#include "core/model/lora.h"
#include "tests/core/align/tiny_alignment.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace strata;

class TestGrpoTrainer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        m_root = tiny::writeAlignmentSetup(m_dir, {{"sft.jsonl", tiny::echoTasks(400, 1, true)},
                                                   {"tasks.jsonl", tiny::echoTasks(200, 2)},
                                                   {"test.jsonl", tiny::echoTasks(64, 3)}});
    }

    void raisesExactMatchOnHeldOutTasks() {
        tiny::runStage(
            tiny::stageConfig(m_root, "sft", "sft.jsonl",
                              {"train.max_steps=90", "train.eval_every=0", "checkpoint.every=90",
                               "optim.lr=3e-3", "schedule.warmup_steps=5"}),
            m_root / "sft");
        auto sink = tiny::runStage(
            tiny::stageConfig(m_root, "grpo", "tasks.jsonl",
                              {"init.model=" + train::checkpointFolder(m_root / "sft", 90).string(),
                               "data.val=test.jsonl", "train.max_steps=60", "train.eval_every=60",
                               "train.eval_batches=8", "checkpoint.every=60",
                               "grpo.max_new_tokens=3", "grpo.epochs=2", "optim.lr=1e-3",
                               "schedule.warmup_steps=0", "rewards.correctness=1",
                               "rewards.coherence=0", "rewards.diversity=0", "rewards.safety=0"}),
            m_root / "grpo");
        QCOMPARE(sink->evals.size(), size_t(2));
        double before = tiny::metric(sink->evals.front().extra, "exact_match");
        double after = tiny::metric(sink->evals.back().extra, "exact_match");
        qInfo("held-out exact match: %.3f before GRPO, %.3f after", before, after);
        QVERIFY2(after >= before + 0.2, qPrintable(QString("%1 -> %2").arg(before).arg(after)));
        QVERIFY(after >= 0.9);

        // Every step shows the inspector its first prompt's whole group, each response with its
        // reward standardized within the group (the unbiased deviation, + 1e-4) as advantage.
        for (const run::StepMetrics& step : sink->steps) {
            const std::vector<run::SampledResponse>& group = step.rollouts.responses;
            QCOMPARE(group.size(), size_t(8));
            double mean = 0, squares = 0;
            for (const run::SampledResponse& response : group)
                mean += response.reward / 8;
            for (const run::SampledResponse& response : group)
                squares += (response.reward - mean) * (response.reward - mean);
            const double deviation = std::sqrt(squares / 7);
            for (const run::SampledResponse& response : group) {
                QCOMPARE(response.prompt, group[0].prompt);
                QVERIFY(response.advantage);
                QVERIFY(std::abs(*response.advantage -
                                 (response.reward - mean) / (deviation + 1e-4)) < 1e-3);
                QCOMPARE(response.kl.size(), response.tokens.size());
            }
        }
    }

    void loraTrainsAdaptersAgainstTheModelUnderThem() {
        // From a briefly fine-tuned model, which gets some answers right: rewards that vary.
        tiny::runStage(tiny::stageConfig(m_root, "sft", "sft.jsonl",
                                         {"train.max_steps=40", "train.eval_every=0",
                                          "checkpoint.every=40", "optim.lr=3e-3"}),
                       m_root / "lora-start");
        const std::filesystem::path start = train::checkpointFolder(m_root / "lora-start", 40);
        auto sink = tiny::runStage(
            tiny::stageConfig(
                m_root, "grpo", "tasks.jsonl",
                {"init.model=" + start.string(), "grpo.lora=true", "train.max_steps=4",
                 "train.eval_every=0", "checkpoint.every=4", "grpo.max_new_tokens=3",
                 "optim.lr=3e-2", "schedule.warmup_steps=0", "rewards.correctness=1",
                 "rewards.coherence=0.2", "rewards.diversity=0", "rewards.safety=0"}),
            m_root / "grpo-lora");
        QCOMPARE(sink->steps.size(), size_t(4));
        // The adapters start as zero (B = 0): the policy is its reference at the first step. The
        // base stays the reference, so the KL grows as the adapters move the policy from it.
        QVERIFY(tiny::metric(sink->steps.front().extra, "kl") < 1e-6);
        QVERIFY(tiny::metric(sink->steps.back().extra, "kl") > 0);
        std::filesystem::path checkpoint = train::checkpointFolder(m_root / "grpo-lora", 4);
        QVERIFY(std::filesystem::exists(checkpoint / model::kLoraFile));
        QVERIFY(tiny::sameTensors(checkpoint / model::kModelWeightsFile,
                                  start / model::kModelWeightsFile));
        torch::Tensor tokens = torch::randint(200, {1, 12});
        torch::NoGradGuard noGrad;
        model::Transformer base = model::loadModelFolder(start).model;
        model::Transformer tuned = model::loadModelFolder(checkpoint).model;
        QVERIFY(
            !torch::allclose(base->forward(tokens).logits_BTV, tuned->forward(tokens).logits_BTV));
    }

private:
    QTemporaryDir m_dir;
    std::filesystem::path m_root;
};

QTEST_GUILESS_MAIN(TestGrpoTrainer)
#include "tst_grpo_trainer.moc"
