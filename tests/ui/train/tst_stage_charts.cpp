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
