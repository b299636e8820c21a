// The charts each stage adds to the Train page: none for pretraining, accuracy and margin for the
// preference stages, and for PPO and GRPO a reward chart with each part the run reports.
#include "ui/train/stage_charts.h"

#include <QtTest>

using namespace strata;

namespace {

QStringList keysOf(const ui::StageChart& chart) {
    QStringList keys;
    for (const auto& [key, name] : chart.series)
        keys << QString::fromStdString(key);
    return keys;
}

}  // namespace

class TestStageCharts : public QObject {
    Q_OBJECT

private slots:
    void pretrainingAddsNone() { QVERIFY(ui::stageCharts("pretrain", {"loss", "lr"}).isEmpty()); }

    void lowPrecisionAddsWhatItReports() {
        QList<ui::StageChart> fp16 =
            ui::stageCharts("pretrain", {"loss", "loss_scale", "overflow_steps"});
        QCOMPARE(fp16.size(), 2);
        QCOMPARE(keysOf(fp16[0]), QStringList{"loss_scale"});
        QList<ui::StageChart> fp8 =
            ui::stageCharts("pretrain", {"fp8.block0.attention.wq.weight.grad_amax",
                                         "fp8.block0.attention.wq.weight.input_amax",
                                         "fp8.block1.moe.experts.gate.input_amax", "fp8_overflow",
                                         "fp8_underflow", "loss"});
        QCOMPARE(fp8.size(), 3);
        QCOMPARE(keysOf(fp8[0]), (QStringList{"fp8_overflow", "fp8_underflow"}));
        QCOMPARE(keysOf(fp8[1]), (QStringList{"fp8.block0.attention.wq.weight.input_amax",
                                              "fp8.block1.moe.experts.gate.input_amax"}));
        QCOMPARE(fp8[1].series[0].second, QString("block0.attention.wq"));
        QCOMPARE(fp8[1].series[1].second, QString("block1.moe.experts.gate"));
        QCOMPARE(keysOf(fp8[2]), QStringList{"fp8.block0.attention.wq.weight.grad_amax"});
        QCOMPARE(ui::stageCharts("sft", {"loss_scale"}).size(), 4);  // the stage's, then these
    }

    void preferenceStagesShowAccuracyAndMargin() {
        for (const char* stage : {"reward", "dpo"}) {
            QList<ui::StageChart> charts = ui::stageCharts(stage, {});
            QVERIFY(charts.size() >= 2);
            QCOMPARE(keysOf(charts[0]), (QStringList{"accuracy", "val_accuracy"}));
            QCOMPARE(keysOf(charts[1]), (QStringList{"margin", "val_margin"}));
        }
        QCOMPARE(ui::stageCharts("dpo", {}).size(), 3);
    }

    void theRewardChartHasEachPartTheRunReports() {
        QList<ui::StageChart> charts = ui::stageCharts(
            "grpo", {"kl", "loss", "reward", "reward_correctness", "reward_model", "val_loss"});
        QCOMPARE(keysOf(charts[0]), (QStringList{"reward", "reward_correctness", "reward_model"}));
        QCOMPARE(charts[0].series[1].second, QString("correctness"));
        QStringList all;
        for (const ui::StageChart& chart : charts)
            all << keysOf(chart);
        QVERIFY(all.contains("val_exact_match"));
        QVERIFY(all.contains("kl"));
        QVERIFY(!all.contains("value_loss"));  // GRPO has no value model
        QStringList ppo;
        for (const ui::StageChart& chart : ui::stageCharts("ppo", {}))
            ppo << keysOf(chart);
        QVERIFY(ppo.contains("value_loss"));
    }
};

QTEST_GUILESS_MAIN(TestStageCharts)
#include "tst_stage_charts.moc"
