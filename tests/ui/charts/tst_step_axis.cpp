// runSeriesPoints on a real history: the same downsampled series against steps, tokens (the
// run's "tokens" metric) and wall time (seconds since the series' first point), interpolated
// between sampled steps; a run without tokens has no tokens axis. ChartControls remembers the
// choice.
#include "core/store/run_catalog.h"
#include "ui/charts/chart_controls.h"
#include "ui/charts/step_axis.h"

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace strata;

class TestStepAxis : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void stepsMapOntoTokensAndWallTime() {
        QTemporaryDir dir;
        store::RunHistory history(dir.filePath("strata.db").toStdString());
        int64_t run = history.createRun({"run", "local"});
        int64_t bare = history.createRun({"bare", "local"});
        store::IngestBatch batch;
        batch.runId = run;
        const int steps = 50000;
        for (int step = 1; step <= steps; ++step) {
            double wall = 1e9 + 0.5 * step;  // two steps a second
            batch.metrics.push_back({step, "loss", step, 1.0 / step, wall, 0});
            batch.metrics.push_back({step, "tokens", step, 4096.0 * step, wall, 0});
        }
        batch.lastSeq = steps;
        history.ingest(batch);
        store::IngestBatch other;
        other.runId = bare;
        other.metrics.push_back({1, "loss", 1, 2.0, 1e9, 0});
        other.lastSeq = 1;
        history.ingest(other);

        store::LocalRunCatalog runs(history, dir.path().toStdString());
        QList<QPointF> bySteps = ui::runSeriesPoints(runs, run, "loss", ui::XAxis::Step, 300);
        QList<QPointF> byTokens = ui::runSeriesPoints(runs, run, "loss", ui::XAxis::Tokens, 300);
        QList<QPointF> byTime = ui::runSeriesPoints(runs, run, "loss", ui::XAxis::WallTime, 300);
        QVERIFY(bySteps.size() <= 4 * 300);
        QCOMPARE(byTokens.size(), bySteps.size());
        QCOMPARE(byTime.size(), bySteps.size());
        for (qsizetype i = 0; i < bySteps.size(); ++i) {
            QCOMPARE(byTokens[i].y(), bySteps[i].y());
            QVERIFY2(qAbs(byTokens[i].x() - 4096.0 * bySteps[i].x()) < 1e-6 * byTokens[i].x(),
                     qPrintable(QString("%1 at step %2").arg(byTokens[i].x()).arg(bySteps[i].x())));
            QVERIFY(qAbs(byTime[i].x() - 0.5 * (bySteps[i].x() - 1)) < 1e-6);
        }
        QCOMPARE(byTime.front().x(), 0.0);
        QCOMPARE(byTokens.back().x(), 4096.0 * steps);
        QVERIFY(ui::runSeriesPoints(runs, bare, "loss", ui::XAxis::Tokens, 300).isEmpty());
        QCOMPARE(ui::runSeriesPoints(runs, bare, "loss", ui::XAxis::WallTime, 300).size(), 1);
    }

    void theControlsRememberTheirSettings() {
        {
            ui::ChartControls controls("test");
            controls.setXAxis(ui::XAxis::WallTime);
        }
        ui::ChartControls again("test");
        QCOMPARE(again.xAxis(), ui::XAxis::WallTime);
        again.setXAxis(ui::XAxis::Step);
    }
};

QTEST_MAIN(TestStepAxis)
#include "tst_step_axis.moc"
