// The precision modes end to end on the tiny MoE model: an FP8 run of every recipe, and an FP16
// run, end within 2% of the fp32 run's validation loss; FP8 reports each layer's amax, scales
// and counts; FP16 reports its loss scale, and a scale so large that gradients overflow skips
// steps and backs off instead of failing the run, as does another rank's overflow; resumed FP8
// (delayed) and FP16 runs repeat the uninterrupted run's losses bit for bit, and a checkpoint whose
// amax histories do not fit the run is refused naming the file and tensor; FP8 on a device without
// FP8 matrix units is refused unless emulation is allowed.
#include "core/model/safetensors.h"
#include "core/train/pretrainer.h"
#include "tests/core/run/recording_sink.h"
#include "tests/error_of.h"
#include "tiny_run.h"

#include <torch/torch.h>
#include <QtTest>

using namespace strata;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kLonger = {"train.max_steps=30", "train.eval_every=30",
                                          "train.eval_batches=8", "checkpoint.every=30"};
const std::vector<std::string> kFp8 = {"train.precision=\"fp8\"", "fp8.allow_emulation=true"};

std::vector<std::string> joined(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

double extra(const run::StepMetrics& step, const std::string& name) {
    for (const run::NamedValue& value : step.extra)
        if (value.name == name) return value.value;
    return -1;
}

}  // namespace

class TestPrecisionPolicy : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path m_data;
    double m_fp32ValLoss = 0;

    fs::path runDir(const std::string& name) const {
        return fs::path(m_tmp.path().toStdString()) / name;
    }

    RecordingSink train(const std::string& name, const std::vector<std::string>& overrides) {
        RecordingSink sink;
        train::Pretrainer trainer(tiny::config(m_data, overrides), runDir(name), sink, false);
        [&] { QCOMPARE(trainer.run(), run::RunStatus::Completed); }();
        return sink;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        torch::set_num_threads(1);
        m_data = runDir("data");
        tiny::writeData(m_data);
        RecordingSink fp32 = train("fp32", joined(kLonger, {"train.precision=\"fp32\""}));
        m_fp32ValLoss = fp32.evals.back().loss;
    }

    void fp8EndsWithinTwoPercentOfFp32_data() {
        QTest::addColumn<QString>("recipe");
        for (const char* recipe : {"tensorwise", "delayed", "rowwise", "blockwise"})
            QTest::newRow(recipe) << recipe;
    }

    void fp8EndsWithinTwoPercentOfFp32() {
        QFETCH(QString, recipe);
        RecordingSink sink =
            train("fp8-" + recipe.toStdString(),
                  joined(joined(kLonger, kFp8), {"fp8.recipe=\"" + recipe.toStdString() + "\""}));
        QCOMPARE(sink.starts.front().precision, "fp8 (" + recipe.toStdString() + ", emulated)");
        double valLoss = sink.evals.back().loss;
        QVERIFY2(std::abs(valLoss - m_fp32ValLoss) < 0.02 * m_fp32ValLoss,
                 qPrintable(QString("fp8 %1, fp32 %2").arg(valLoss).arg(m_fp32ValLoss)));

        // Attention projections, the dense and shared feed-forward blocks and the experts; never
        // the embedding, the output head or the router.
        const std::vector<run::Fp8LayerStats>& layers = sink.steps.back().fp8;
        std::vector<std::string> names;
        for (const run::Fp8LayerStats& layer : layers) {
            names.push_back(layer.name);
            QVERIFY(layer.inputAmax > 0 && layer.weightAmax > 0 && layer.gradAmax > 0);
            QVERIFY(layer.inputScale > 0 && layer.gradScale > 0);
            QCOMPARE(std::log2(layer.weightScale), std::round(std::log2(layer.weightScale)));
        }
        QCOMPARE(layers.size(), size_t(4 + 3 + 4 + 3 + 3));
        QVERIFY(std::count(names.begin(), names.end(), "block0.attention.wq.weight") == 1);
        QVERIFY(std::count(names.begin(), names.end(), "block1.moe.experts.gate") == 1);
        for (const std::string& name : names)
            QVERIFY2(
                name.find("embed") == std::string::npos && name.find("router") == std::string::npos,
                name.c_str());
        QVERIFY(extra(sink.steps.back(), "fp8_overflow") >= 0);
    }

    void fp16EndsWithinTwoPercentOfFp32AndReportsItsScale() {
        RecordingSink sink = train("fp16", joined(kLonger, {"train.precision=\"fp16\""}));
        double valLoss = sink.evals.back().loss;
        QVERIFY2(std::abs(valLoss - m_fp32ValLoss) < 0.02 * m_fp32ValLoss,
                 qPrintable(QString("fp16 %1, fp32 %2").arg(valLoss).arg(m_fp32ValLoss)));
        QCOMPARE(extra(sink.steps.front(), "loss_scale"), 65536.0);
        QVERIFY(sink.steps.back().fp8.empty());
    }

    void overflowingStepsAreSkippedAndTheScaleBacksOff() {
        // 2^40: the fp16 gradients overflow until the scale has halved enough times.
        RecordingSink sink =
            train("fp16-overflow",
                  {"train.precision=\"fp16\"", "fp16.initial_scale=1099511627776.0",
                   "train.max_skipped_steps=2", "train.max_steps=40", "train.eval_every=0"});
        const run::StepMetrics& first = sink.steps.front();
        QVERIFY(first.skipped);
        QCOMPARE(extra(first, "overflow_steps"), 1.0);
        QCOMPARE(extra(sink.steps[1], "loss_scale"), 549755813888.0);  // halved
        const run::StepMetrics& last = sink.steps.back();
        QVERIFY(!last.skipped);
        double overflows = extra(last, "overflow_steps");
        QVERIFY(overflows > 2 && overflows < 40);  // more than max_skipped_steps, not a failure
        QVERIFY(last.loss < first.loss);
    }

    void anotherRanksOverflowSkipsTheStepHereToo() {
        // Under expert parallelism ranks hold different gradients; the run's answer decides, so
        // every rank skips and backs off alike.
        run::RunConfig config = tiny::config(m_data, {"train.precision=\"fp16\""});
        train::PrecisionPolicy policy(config, torch::kCPU);
        torch::Tensor weight = torch::ones({2}, torch::requires_grad());
        weight.mutable_grad() = torch::ones({2});
        bool finiteHere = false;
        QVERIFY(!policy.gradientsFinite({weight}, [&](bool finite) {
            finiteHere = finite;
            return false;
        }));
        QVERIFY(finiteHere);
        run::StepMetrics overflowed, next;
        policy.finishStep(overflowed);
        QVERIFY(policy.gradientsFinite({weight}));
        policy.finishStep(next);
        QCOMPARE(extra(next, "loss_scale"),
                 extra(overflowed, "loss_scale") * config.fp16.backoffFactor);
        QCOMPARE(extra(next, "overflow_steps"), 1.0);
    }

    void resumedRunsRepeatTheLossesBitForBit_data() {
        QTest::addColumn<QStringList>("precision");
        QTest::newRow("fp8 delayed") << QStringList{
            "train.precision=\"fp8\"", "fp8.allow_emulation=true", "fp8.recipe=\"delayed\""};
        QTest::newRow("fp16") << QStringList{"train.precision=\"fp16\"",
                                             "fp16.initial_scale=1099511627776.0",
                                             "train.max_skipped_steps=20"};
    }

    void resumedRunsRepeatTheLossesBitForBit() {
        QFETCH(QStringList, precision);
        std::vector<std::string> overrides;
        for (const QString& assignment : precision)
            overrides.push_back(assignment.toStdString());
        const std::string name = QTest::currentDataTag();
        RecordingSink straight = train(name + " straight", overrides);

        RecordingSink first;
        train::Pretrainer stopped(tiny::config(m_data, overrides), runDir(name + " resumed"), first,
                                  false);
        first.onStep = [&](const run::StepMetrics& m) {
            if (m.step == 4) stopped.requestStop();
        };
        QCOMPARE(stopped.run(), run::RunStatus::Stopped);
        RecordingSink second;
        train::Pretrainer resumed(tiny::config(m_data, overrides), runDir(name + " resumed"),
                                  second, true);
        QCOMPARE(resumed.run(), run::RunStatus::Completed);
        QCOMPARE(second.steps.size(), size_t(2));
        for (size_t i = 0; i < second.steps.size(); ++i) {
            QCOMPARE(second.steps[i].loss, straight.steps[4 + i].loss);  // exact, not fuzzy
            QCOMPARE(second.steps[i].gradNorm, straight.steps[4 + i].gradNorm);
            QCOMPARE(second.steps[i].skipped, straight.steps[4 + i].skipped);
            QCOMPARE(extra(second.steps[i], "loss_scale"),
                     extra(straight.steps[4 + i], "loss_scale"));
        }
        QCOMPARE(second.evals.back().loss, straight.evals.back().loss);
    }

    void aCheckpointOfAnotherHistoryLengthIsRefused() {
        std::vector<std::string> delayed = joined(kFp8, {"fp8.recipe=\"delayed\""});
        train("history", joined(delayed, {"train.max_steps=3"}));
        RecordingSink sink;
        QString error = errorOf([&] {
            train::Pretrainer(tiny::config(m_data, joined(delayed, {"fp8.amax_history=8"})),
                              runDir("history"), sink, true);
        });
        QVERIFY2(error.contains("step-0000003/precision.safetensors: tensor 'block0.") &&
                     error.contains("_amax_history' is an amax history of shape [1, 16], but "
                                    "fp8.amax_history is 8"),
                 qPrintable(error));
    }

    void aHistoryOfAnotherNumberOfMatricesIsRefused() {
        std::vector<std::string> delayed = joined(kFp8, {"fp8.recipe=\"delayed\""});
        train("matrices", joined(delayed, {"train.max_steps=3"}));
        fs::path file =
            runDir("matrices") / "checkpoints" / "step-0000003" / "precision.safetensors";
        model::NamedTensors tensors;
        for (auto& [name, tensor] : model::loadSafetensors(file).tensors)
            tensors.emplace_back(name, name == "fp8.block0.attention.wq.weight.input_amax_history"
                                           ? torch::cat({tensor, tensor})
                                           : tensor);
        model::saveSafetensors(file, tensors, {{"format", "pt"}});
        RecordingSink sink;
        train::Pretrainer resumed(tiny::config(m_data, delayed), runDir("matrices"), sink, true);
        QString error = errorOf([&] { resumed.run(); });
        QVERIFY2(error.contains("precision.safetensors: tensor "
                                "'block0.attention.wq.weight.input_amax_history' holds the history "
                                "of 2 matrices, but block0.attention.wq.weight has 1"),
                 qPrintable(error));
    }

    void fp8WithoutFp8HardwareNeedsEmulationAllowed() {
        RecordingSink sink;
        fs::path dir = runDir("refused");
        QString error = errorOf([&] {
            train::Pretrainer(tiny::config(m_data, {"train.precision=\"fp8\""}), dir, sink, false);
        });
        QVERIFY2(error.contains("train.precision is \"fp8\", but cpu has no FP8 matrix units") &&
                     error.contains("fp8.allow_emulation = true"),
                 qPrintable(error));
        QVERIFY(!fs::exists(dir));
    }
};

QTEST_APPLESS_MAIN(TestPrecisionPolicy)
#include "tst_precision_policy.moc"
