// funnelSteps: a funnel report becomes read → one step per stage (what is left after it, the
// rules that removed documents in its hover text) → written.
#include "ui/data/funnel_steps.h"

#include <QJsonDocument>
#include <QtTest>

class TestFunnelSteps : public QObject {
    Q_OBJECT

private slots:
    void stagesInPipelineOrderWithWhatTheyRemoved() {
        QJsonObject report = QJsonDocument::fromJson(R"({
            "input": {"documents": 100},
            "reader_skipped": {"malformed_lines": 2, "missing_field": 0, "oversized": 0},
            "removed": [
                {"stage": "words", "reason": "words.too_few", "documents": 10},
                {"stage": "words", "reason": "words.too_many", "documents": 1},
                {"stage": "entropy", "reason": "entropy.too_low", "documents": 0},
                {"stage": "exact_dedup", "reason": "exact_dedup.duplicate", "documents": 4}],
            "output": {"documents": 85}})")
                                 .object();
        QList<strata::widgets::FunnelStep> steps = strata::ui::funnelSteps(report);
        QCOMPARE(steps.size(), 5);
        QCOMPARE(steps[0].label, QString("read"));
        QCOMPARE(steps[0].remaining, 100);
        QVERIFY(steps[0].detail.contains("malformed_lines: 2"));
        QCOMPARE(steps[1].label, QString("words"));
        QCOMPARE(steps[1].remaining, 89);
        QCOMPARE(steps[1].detail, QString("words.too_few: 10 removed\nwords.too_many: 1 removed"));
        QCOMPARE(steps[2].remaining, 89);
        QVERIFY(steps[2].detail.isEmpty());
        QCOMPARE(steps[3].remaining, 85);
        QCOMPARE(steps[4].label, QString("written"));
        QCOMPARE(steps[4].remaining, 85);
    }
};

QTEST_MAIN(TestFunnelSteps)
#include "tst_funnel_steps.moc"
