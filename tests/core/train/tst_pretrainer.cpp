// The trainer end to end on a tiny MoE model: it learns, reports every step, evaluates and
// checkpoints on schedule; a stopped and resumed run repeats the uninterrupted run's losses bit
// for bit; pause, stop and the non-finite guard behave; and every kind of bad input is refused
// with a message naming the file or key before anything is written.
#include "core/model/model_folder.h"
#include "core/train/pretrainer.h"
#include "tests/core/run/recording_sink.h"
#include "tests/error_of.h"
#include "tiny_run.h"

#include <torch/torch.h>
#include <QtTest>

#include <thread>

using namespace strata;
namespace fs = std::filesystem;

namespace {

bool sameWeights(model::Transformer& a, model::Transformer& b) {
    model::NamedTensors left = model::modelState(a), right = model::modelState(b);
    if (left.size() != right.size()) return false;
    for (size_t i = 0; i < left.size(); ++i)
        if (left[i].first != right[i].first || !torch::equal(left[i].second, right[i].second))
            return false;
    return true;
}

}  // namespace

class TestPretrainer : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path m_data;

    fs::path runDir(const char* name) const { return fs::path(m_tmp.path().toStdString()) / name; }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        torch::set_num_threads(1);
        m_data = runDir("data");
        tiny::writeData(m_data);
    }

    void learnsAndReportsEveryStep() {
        RecordingSink sink;
        train::Pretrainer trainer(
            tiny::config(m_data, {"train.max_steps=30", "train.eval_every=10",
                                  "checkpoint.every=10", "checkpoint.keep_last=1"}),
            runDir("learns"), sink, false);
        QCOMPARE(trainer.run(), run::RunStatus::Completed);
        QCOMPARE(sink.steps.size(), size_t(30));
        QCOMPARE(sink.steps.back().tokens, int64_t(30 * 32 * 4 * 2));
        QVERIFY(sink.steps.back().loss < sink.steps.front().loss - 1.5);
        QCOMPARE(sink.evals.size(), size_t(4));  // before the first step, then every 10
        QCOMPARE(sink.evals.front().step, int64_t(0));
        QVERIFY(sink.evals.back().loss < sink.evals.front().loss);
        QCOMPARE(sink.evals.back().perplexity, std::exp(sink.evals.back().loss));
        // One MoE layer: its load is a distribution over the 4 experts, bias moves with it.
        const run::LayerRouterStats& router = sink.steps.back().router.at(0);
        QCOMPARE(router.layer, 1);
        QCOMPARE(router.load.size(), size_t(4));
        QVERIFY(std::abs(router.load[0] + router.load[1] + router.load[2] + router.load[3] - 1) <
                1e-6);
        QVERIFY(router.bias != std::vector<double>(4, 0.0));
        QVERIFY(router.entropy > 0 && router.entropy <= std::log(4.0) + 1e-6);
        QCOMPARE(router.dropped, int64_t(0));  // no capacity limit
        QVERIFY(router.balanceLoss > 0 && router.zLoss > 0);
        QVERIFY(sink.steps[5].lr > sink.steps.back().lr);  // cosine decay after warmup
        QVERIFY(sink.steps.back().mfu < 0);                // no known peak for a CPU
        // keep_last = 1 and the best: the last checkpoint is also the best here.
        QCOMPARE(sink.checkpoints.size(), size_t(3));
        std::vector<fs::path> kept;
        for (const auto& entry : fs::directory_iterator(runDir("learns") / "checkpoints"))
            kept.push_back(entry.path().filename());
        QCOMPARE(kept, std::vector<fs::path>{"step-0000030"});
    }

    void resumeRepeatsTheLossesBitForBit() {
        RecordingSink straight;
        train::Pretrainer full(tiny::config(m_data), runDir("straight"), straight, false);
        QCOMPARE(full.run(), run::RunStatus::Completed);

        RecordingSink first;
        train::Pretrainer stopped(tiny::config(m_data), runDir("resumed"), first, false);
        first.onStep = [&](const run::StepMetrics& m) {
            if (m.step == 4) stopped.requestStop();
        };
        QCOMPARE(stopped.run(), run::RunStatus::Stopped);
        QVERIFY(fs::exists(runDir("resumed") / "checkpoints" / "step-0000004"));

        RecordingSink second;
        train::Pretrainer resumed(tiny::config(m_data), runDir("resumed"), second, true);
        QCOMPARE(resumed.step(), int64_t(4));
        QCOMPARE(resumed.run(), run::RunStatus::Completed);
        QCOMPARE(second.steps.size(), size_t(2));
        for (size_t i = 0; i < second.steps.size(); ++i) {
            QCOMPARE(second.steps[i].step, straight.steps[4 + i].step);
            QCOMPARE(second.steps[i].loss, straight.steps[4 + i].loss);  // exact, not fuzzy
            QCOMPARE(second.steps[i].gradNorm, straight.steps[4 + i].gradNorm);
            QCOMPARE(second.steps[i].router[0].bias, straight.steps[4 + i].router[0].bias);
        }
        QCOMPARE(second.evals.back().loss, straight.evals.back().loss);
        QVERIFY(sameWeights(resumed.model(), full.model()));
    }

    void activationCheckpointingTrainsAlike() {
        const std::vector<std::string> steps{"train.max_steps=3", "train.eval_every=0",
                                             "checkpoint.every=100"};
        std::vector<std::string> checkpointing = steps;
        checkpointing.push_back("train.activation_checkpointing=true");
        RecordingSink plain, recomputed;
        train::Pretrainer(tiny::config(m_data, steps), runDir("plain-blocks"), plain, false).run();
        train::Pretrainer(tiny::config(m_data, checkpointing), runDir("checkpointed-blocks"),
                          recomputed, false)
            .run();
        QCOMPARE(recomputed.steps.size(), size_t(3));
        for (size_t i = 0; i < plain.steps.size(); ++i) {
            QVERIFY(std::abs(recomputed.steps[i].loss - plain.steps[i].loss) <=
                    1e-5 * plain.steps[i].loss);
            QVERIFY(std::abs(recomputed.steps[i].gradNorm - plain.steps[i].gradNorm) <=
                    1e-5 * plain.steps[i].gradNorm);
        }
    }

    void pauseHoldsAndStopSavesACheckpoint() {
        RecordingSink sink;
        train::Pretrainer trainer(tiny::config(m_data, {"train.max_steps=1000"}), runDir("paused"),
                                  sink, false);
        std::atomic<int64_t> seen{0};
        sink.onStep = [&](const run::StepMetrics& m) {
            seen = m.step;
            if (m.step == 2) trainer.requestPause();
        };
        run::RunStatus status = run::RunStatus::Failed;
        std::thread worker([&] { status = trainer.run(); });
        QTRY_COMPARE(seen.load(), int64_t(2));
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        QCOMPARE(seen.load(), int64_t(2));  // paused: no step in 300 ms
        sink.onStep = [&](const run::StepMetrics& m) {
            seen = m.step;
            if (m.step == 5) trainer.requestStop();
        };
        trainer.requestResume();
        worker.join();
        QCOMPARE(status, run::RunStatus::Stopped);
        QCOMPARE(trainer.step(), int64_t(5));
        QCOMPARE(sink.checkpoints.back().first, int64_t(5));
        QCOMPARE(sink.finished, std::vector<run::RunStatus>{run::RunStatus::Stopped});
    }

    void nonFiniteStepsAreSkippedThenFail() {
        RecordingSink sink;
        train::Pretrainer trainer(
            tiny::config(m_data, {"optim.lr=1e30", "schedule.warmup_steps=0",
                                  "train.max_skipped_steps=2", "train.max_steps=50"}),
            runDir("diverges"), sink, false);
        QString error = errorOf([&] { trainer.run(); });
        QVERIFY2(error.contains("not finite 2 steps in a row"), qPrintable(error));
        QVERIFY(sink.steps.back().skipped);
        QCOMPARE(sink.finished, std::vector<run::RunStatus>{run::RunStatus::Failed});
    }

    void badInputIsRefusedBeforeTraining_data() {
        QTest::addColumn<QStringList>("overrides");
        QTest::addColumn<QString>("expected");
        QTest::newRow("vocabulary") << QStringList{"model.vocab_size=500"}
                                    << "tokenizer.json: the tokenizer has 300 tokens, but "
                                       "model.vocab_size is 500";
        QTest::newRow("too little data")
            << QStringList{"train.micro_batch_size=100000"} << "the train split has";
        QTest::newRow("no tokenizer") << QStringList{"data.tokenizer=missing.json"}
                                      << "missing.json: no such tokenizer (data.tokenizer)";
        QTest::newRow("no shards") << QStringList{"data.shards=nowhere"} << "nowhere";
        QTest::newRow("no cuda") << QStringList{"train.device=cuda:7"} << "train.device is";
        QTest::newRow("checkpointing fp8")
            << QStringList{"train.precision=fp8", "train.activation_checkpointing=true"}
            << "train.activation_checkpointing";
    }
    void badInputIsRefusedBeforeTraining() {
        QFETCH(QStringList, overrides);
        QFETCH(QString, expected);
        std::vector<std::string> assignments;
        for (const QString& assignment : overrides)
            assignments.push_back(assignment.toStdString());
        RecordingSink sink;
        fs::path dir = runDir("refused");
        QString error = errorOf(
            [&] { train::Pretrainer(tiny::config(m_data, assignments), dir, sink, false); });
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY(!error.contains('\n'));
        QVERIFY(!fs::exists(dir));
    }

    void shardsOfAnotherTokenizerAreRefused() {
        fs::path other = runDir("other-data");
        tiny::writeData(other, 300);
        RecordingSink sink;
        QString error = errorOf([&] {
            train::Pretrainer(tiny::config(m_data, {"data.shards=" + (other / "shards").string()}),
                              runDir("mismatch"), sink, false);
        });
        QVERIFY2(error.contains("the shards were encoded with another tokenizer"),
                 qPrintable(error));
    }

    void tooSmallValidationSplitIsRefused() {
        fs::path small = runDir("no-val");
        tiny::writeData(small, 400, 0.0);
        RecordingSink sink;
        QString error =
            errorOf([&] { train::Pretrainer(tiny::config(small), runDir("x"), sink, false); });
        QVERIFY2(
            error.contains("the val split has 0 tokens") && error.contains("train.eval_every = 0"),
            qPrintable(error));
        train::Pretrainer without(tiny::config(small, {"train.eval_every=0"}), runDir("no-val-run"),
                                  sink, false);
        QCOMPARE(without.run(), run::RunStatus::Completed);
    }

    void resumeNeedsACheckpointAndAFreshRunNeedsAnEmptyFolder() {
        RecordingSink sink;
        QString error = errorOf(
            [&] { train::Pretrainer(tiny::config(m_data), runDir("never-ran"), sink, true); });
        QVERIFY2(error.contains("no checkpoint to resume from"), qPrintable(error));
        error = errorOf(
            [&] { train::Pretrainer(tiny::config(m_data), runDir("straight"), sink, false); });
        QVERIFY2(error.contains("already holds a run"), qPrintable(error));
    }

    void resumeRefusesAnotherModelShape() {
        RecordingSink sink;
        QString error = errorOf([&] {
            train::Pretrainer(tiny::config(m_data, {"model.d_model=64"}), runDir("straight"), sink,
                              true);
        });
        QVERIFY2(error.contains("step-0000006: the checkpoint's model does not match the config: "
                                "model.d_model is 32 there, 64 here"),
                 qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestPretrainer)
#include "tst_pretrainer.moc"
