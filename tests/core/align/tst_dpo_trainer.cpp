// DPO as a run: against a frozen copy of the starting model, the implicit rewards start equal
// (policy = reference) and the policy learns to prefer the chosen responses of held-out pairs.
#include "tests/core/align/tiny_alignment.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace strata;

class TestDpoTrainer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        m_root = tiny::writeAlignmentSetup(m_dir, {{"pairs.jsonl", tiny::shorterIsBetter(200)}});
    }

    void learnsThePreferenceAgainstTheReference() {
        run::RunConfig config =
            tiny::stageConfig(m_root, "dpo", "pairs.jsonl",
                              {"train.max_steps=30", "train.eval_every=30", "train.eval_batches=5",
                               "checkpoint.every=30", "optim.lr=1e-3", "schedule.warmup_steps=3"});
        auto sink = tiny::runStage(config, m_root / "run");
        QCOMPARE(sink->evals.size(), size_t(2));
        const run::EvalMetrics &first = sink->evals.front(), &last = sink->evals.back();
        // Before any step the policy is the reference: every implicit reward is 0, log 2 loss.
        QCOMPARE(tiny::metric(first.extra, "margin"), 0.0);
        QCOMPARE(tiny::metric(first.extra, "accuracy"), 0.0);
        QVERIFY(std::abs(first.loss - std::log(2.0)) < 1e-5);
        QVERIFY2(tiny::metric(last.extra, "accuracy") >= 0.9,
                 qPrintable(QString::number(tiny::metric(last.extra, "accuracy"))));
        QVERIFY(tiny::metric(last.extra, "margin") > 0.5);
        QVERIFY(tiny::metric(last.extra, "chosen_reward") >
                tiny::metric(last.extra, "rejected_reward"));
        QVERIFY(last.loss < first.loss);
    }

private:
    QTemporaryDir m_dir;
    std::filesystem::path m_root;
};

QTEST_GUILESS_MAIN(TestDpoTrainer)
#include "tst_dpo_trainer.moc"
