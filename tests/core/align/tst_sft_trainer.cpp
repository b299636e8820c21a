// SFT as a run: the assistant tokens' validation loss falls; a training set whose end-of-turn
// token is never trained gets one warning at the start; LoRA with activation checkpointing trains
// as without; with LoRA only the adapters train,
// the checkpoint keeps the base weights beside lora.safetensors and loads merged, and a resumed
// LoRA run continues exactly.
#include "core/model/lora.h"
#include "tests/core/align/tiny_alignment.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace strata;
using tiny::sameTensors;

class TestSftTrainer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        m_root = tiny::writeAlignmentSetup(m_dir, {{"sft.jsonl", tiny::echoTasks(200, 1, true)}});
    }

    void theAssistantLossFalls() {
        auto sink = tiny::runStage(
            sftConfig({"train.max_steps=40", "train.eval_every=40", "checkpoint.every=40"}),
            m_root / "full");
        QCOMPARE(sink->evals.size(), size_t(2));
        QVERIFY2(
            sink->evals.back().loss < 0.5 * sink->evals.front().loss,
            qPrintable(
                QString("%1 -> %2").arg(sink->evals.front().loss).arg(sink->evals.back().loss)));
        QVERIFY(tiny::metric(sink->steps[0].extra, "trained_tokens") > 0);
        for (const std::string& line : sink->logs)
            QVERIFY2(line.find("end-of-turn") == std::string::npos, line.c_str());
    }

    void loraWithActivationCheckpointingTrainsAlike() {
        const std::vector<std::string> steps{"sft.lora=true", "train.max_steps=3",
                                             "train.eval_every=0", "checkpoint.every=100"};
        std::vector<std::string> checkpointing = steps;
        checkpointing.push_back("train.activation_checkpointing=true");
        auto plain = tiny::runStage(sftConfig(steps), m_root / "plain-blocks");
        auto recomputed = tiny::runStage(sftConfig(checkpointing), m_root / "checkpointed-blocks");
        QCOMPARE(recomputed->steps.size(), size_t(3));
        for (size_t i = 0; i < plain->steps.size(); ++i) {
            QVERIFY(std::abs(recomputed->steps[i].loss - plain->steps[i].loss) <=
                    1e-5 * plain->steps[i].loss);
            QVERIFY(std::abs(recomputed->steps[i].gradNorm - plain->steps[i].gradNorm) <=
                    1e-5 * plain->steps[i].gradNorm);
        }
    }

    void warnsWhenTheEndOfTurnIsNeverTrained() {
        // Rows of 4 positions cut every conversation before its assistant turn ends.
        auto sink = tiny::runStage(
            sftConfig({"train.sequence_length=4", "train.max_steps=1", "train.eval_every=0"}),
            m_root / "cut");
        int warnings = 0;
        for (size_t i = 0; i < sink->logs.size(); ++i)
            if (sink->logs[i].find("end-of-turn token") != std::string::npos) {
                QCOMPARE(sink->logLevels[i], std::string("warning"));
                QVERIFY2(sink->logs[i].find("will not learn to stop") != std::string::npos,
                         sink->logs[i].c_str());
                ++warnings;
            }
        QCOMPARE(warnings, 1);
    }

    void loraTrainsAdaptersOnlyAndLoadsMerged() {
        auto sink = tiny::runStage(sftConfig({"sft.lora=true", "train.max_steps=20",
                                              "train.eval_every=20", "checkpoint.every=20"}),
                                   m_root / "lora");
        QVERIFY(sink->evals.back().loss < sink->evals.front().loss);
        std::filesystem::path checkpoint = train::checkpointFolder(m_root / "lora", 20);
        QVERIFY(std::filesystem::exists(checkpoint / model::kLoraFile));
        QVERIFY(sameTensors(checkpoint / model::kModelWeightsFile,
                            m_root / "init" / model::kModelWeightsFile));

        torch::Tensor tokens = torch::randint(200, {1, 12});
        torch::NoGradGuard noGrad;
        model::Transformer base = model::loadModelFolder(m_root / "init").model;
        model::Transformer tuned = model::loadModelFolder(checkpoint).model;
        QVERIFY(
            !torch::allclose(base->forward(tokens).logits_BTV, tuned->forward(tokens).logits_BTV));
    }

    void aResumedLoraRunContinuesExactly() {
        const std::vector<std::string> lora{"sft.lora=true", "train.eval_every=0",
                                            "checkpoint.every=2"};
        auto overrides = [&](int steps) {
            std::vector<std::string> all = lora;
            all.push_back(fmt::format("train.max_steps={}", steps));
            return all;
        };
        auto straight = tiny::runStage(sftConfig(overrides(4)), m_root / "straight");
        tiny::runStage(sftConfig(overrides(2)), m_root / "resumed");
        auto resumed = tiny::runStage(sftConfig(overrides(4)), m_root / "resumed", true);
        QCOMPARE(resumed->steps.size(), size_t(2));
        QCOMPARE(resumed->steps[0].loss, straight->steps[2].loss);
        QCOMPARE(resumed->steps[1].loss, straight->steps[3].loss);
    }

private:
    run::RunConfig sftConfig(std::vector<std::string> overrides) {
        overrides.insert(overrides.begin(), {"optim.lr=3e-3", "schedule.warmup_steps=2"});
        return tiny::stageConfig(m_root, "sft", "sft.jsonl", overrides);
    }

    QTemporaryDir m_dir;
    std::filesystem::path m_root;
};

QTEST_GUILESS_MAIN(TestSftTrainer)
#include "tst_sft_trainer.moc"
