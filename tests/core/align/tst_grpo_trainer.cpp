// GRPO raises exact match on a toy task within a CI-sized budget: a tiny model fine-tuned briefly
// on "Echo: d" -> "d" (SFT) repeats the digit for some prompts only; GRPO with the correctness
// reward then makes it right on most held-out prompts.
#include "tests/core/align/tiny_alignment.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace strata;

class TestGrpoTrainer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_root = m_dir.path().toStdString();
        tiny::writeAlignmentSetup(m_root);
        tiny::writeLines(m_root / "sft.jsonl", tiny::echoTasks(400, 1, true));
        tiny::writeLines(m_root / "tasks.jsonl", tiny::echoTasks(200, 2));
        tiny::writeLines(m_root / "test.jsonl", tiny::echoTasks(64, 3));
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

        // The inspector sees the first prompt's whole group, with advantages that sum to 0.
        const train::InspectedRollouts& inspected = sink->steps.back().rollouts;
        QCOMPARE(inspected.responses.size(), size_t(8));
        double advantages = 0;
        for (const train::SampledResponse& response : inspected.responses) {
            QCOMPARE(response.prompt, inspected.responses[0].prompt);
            QVERIFY(response.advantage);
            advantages += *response.advantage;
            QCOMPARE(response.kl.size(), response.tokens.size());
        }
        QVERIFY(std::abs(advantages) < 1e-4);
    }

private:
    QTemporaryDir m_dir;
    std::filesystem::path m_root;
};

QTEST_GUILESS_MAIN(TestGrpoTrainer)
#include "tst_grpo_trainer.moc"
