// The metric chart and its smoothing: the EMA is debiased (a constant stays constant from the
// first point) and matches a hand computation; setSeries replaces a series whole; the log scale
// drops the points it cannot draw; the chart exports PNG.
#include "widgets/metric_chart.h"
#include "widgets/series_smoothing.h"

#include <QChartView>
#include <QTemporaryDir>
#include <QValueAxis>
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

    // A group's band goes with its line, is filtered as the line is, and goes when it does.
    void aBandGoesWithItsLine() {
        MetricChart chart;
        chart.setSeries("group", {{0, 2}, {1, 3}});
        chart.setBand("group", {{0, -1}, {1, 2}}, {{0, 3}, {1, 4}});
        QCOMPARE(chart.shownBand("group").second, (QList<QPointF>{{0, 3}, {1, 4}}));
        QCOMPARE(chart.seriesNames(), QStringList{"group"});  // the band is no series of its own
        chart.setLogScale(true);
        QCOMPARE(chart.shownBand("group").first, (QList<QPointF>{{1, 2}}));
        chart.setBand("group", {}, {});
        QVERIFY(chart.shownBand("group").first.isEmpty());
        chart.setBand("group", {{0, 1}}, {{0, 3}});
        chart.removeSeries("group");
        QVERIFY(chart.shownBand("group").second.isEmpty());
        chart.setBand("nothing", {{0, 1}}, {{0, 3}});  // no line, no band
        QVERIFY(chart.shownBand("nothing").second.isEmpty());
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

    void exportsCsvOfTheDrawnPoints() {
        MetricChart chart;
        chart.setSeries("run, one", {{1, 3}, {2, 2.5}});
        chart.setSeries("two", {{1, 4}});
        QTemporaryDir dir;
        QString path = dir.filePath("chart.csv");
        QVERIFY(chart.exportCsv(path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(file.readAll()),
                 QString("series,x,y\n\"run, one\",1,3\n\"run, one\",2,2.5\ntwo,1,4\n"));
        QVERIFY(!chart.exportCsv(dir.filePath("no/such/folder.csv")));
    }

    void hoverShowsTheNearestValue() {
        MetricChart chart;
        chart.setSeries("loss", {{0, 3}, {10, 2}, {20, 1.5}});
        QCOMPARE(chart.valueText("loss", 12), QString("loss: 2 at 10"));
        QCOMPARE(chart.valueText("loss", 16), QString("loss: 1.5 at 20"));
        QCOMPARE(chart.valueText("loss", -5), QString("loss: 3 at 0"));
        QVERIFY(chart.valueText("other", 1).isEmpty());
    }

    void aZoomedViewStaysWhilePointsArrive() {
        MetricChart chart;
        chart.resize(400, 300);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setSeries("loss", {{0, 3}, {100, 1}});
        auto* chartItem = chart.findChild<QChartView*>()->chart();
        chartItem->zoom(2.0);
        auto* xAxis = qobject_cast<QValueAxis*>(chartItem->axes(Qt::Horizontal).first());
        const double zoomedMax = xAxis->max();
        QVERIFY(zoomedMax < 100);
        chart.setSeries("loss", {{0, 3}, {100, 1}, {200, 0.5}});
        QCOMPARE(xAxis->max(), zoomedMax);
        chart.resetZoom();
        QCOMPARE(xAxis->max(), 200.0);
    }
};

QTEST_MAIN(TestMetricChart)
#include "tst_metric_chart.moc"
