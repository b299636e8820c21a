// The metric chart and its smoothing: the EMA is debiased (a constant stays constant from the
// first point) and matches a hand computation; setSeries replaces a series whole; the log scale
// drops the points it cannot draw; the chart exports PNG.
#include "widgets/metric_chart.h"
#include "widgets/series_smoothing.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace strata::widgets;

class TestMetricChart : public QObject {
    Q_OBJECT

private slots:
    void smoothingIsADebiasedMovingAverage() {
        QList<QPointF> constant{{1, 5}, {2, 5}, {3, 5}};
        for (const QPointF& point : smoothedSeries(constant, 0.9))
            QCOMPARE(point.y(), 5.0);
        QList<QPointF> steps{{1, 0}, {2, 10}};
        QList<QPointF> smoothed = smoothedSeries(steps, 0.5);
        QCOMPARE(smoothed[0].y(), 0.0);
        // (0.5 * (0.5 * 0) + 0.5 * 10) / (1 - 0.25)
        QCOMPARE(smoothed[1].y(), 5.0 / 0.75);
        QCOMPARE(smoothedSeries(steps, 0), steps);
        QList<QPointF> withNan{{1, 1}, {2, qQNaN()}, {3, 1}};
        QCOMPARE(smoothedSeries(withNan, 0.5).size(), 2);
    }

    void seriesAreReplacedWhole() {
        MetricChart chart;
        chart.setSeries("run a", {{0, 3}, {1, 2}, {2, 1}});
        chart.setSeries("run b", {{0, 4}});
        QCOMPARE(chart.seriesNames(), (QStringList{"run a", "run b"}));
        chart.setSeries("run a", {{0, 9}});
        QCOMPARE(chart.shownPoints("run a"), (QList<QPointF>{{0, 9}}));
        chart.removeSeries("run b");
        QCOMPARE(chart.seriesNames(), QStringList{"run a"});
        chart.clearSeries();
        QVERIFY(chart.seriesNames().isEmpty());
    }

    void logScaleDropsWhatItCannotDraw() {
        MetricChart chart;
        chart.setSeries("lr", {{0, 0}, {1, 1e-3}, {2, -1}, {3, 1e-4}});
        chart.setLogScale(true);
        QCOMPARE(chart.shownPoints("lr"), (QList<QPointF>{{1, 1e-3}, {3, 1e-4}}));
        chart.setLogScale(false);
        QCOMPARE(chart.shownPoints("lr").size(), 4);
    }

    void smoothingAppliesToShownPoints() {
        MetricChart chart;
        chart.setSeries("loss", {{1, 0}, {2, 10}});
        chart.setSmoothing(0.5);
        QCOMPARE(chart.shownPoints("loss")[1].y(), 5.0 / 0.75);
    }

    void exportsPng() {
        MetricChart chart;
        chart.resize(400, 300);
        chart.setSeries("loss", {{0, 3}, {1, 2}});
        QTemporaryDir dir;
        QString path = dir.filePath("chart.png");
        QVERIFY(chart.exportPng(path));
        QImage image(path);
        QVERIFY(!image.isNull());
        QCOMPARE(image.width(), 400);
    }
};

QTEST_MAIN(TestMetricChart)
#include "tst_metric_chart.moc"
