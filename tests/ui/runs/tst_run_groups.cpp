// Runs grouped by tag and by a config key's value; a group's mean, lowest and highest over the x
// range every run covers, with runs logged at other x values interpolated; a run's difference
// from a baseline, over the baseline's range.
#include "ui/runs/run_groups.h"

#include <QtTest>

using namespace strata;

namespace {

store::RunRecord run(int64_t id, const std::string& lr, std::vector<std::string> tags) {
    store::RunRecord record;
    record.id = id;
    record.name = "run-" + std::to_string(id);
    record.configText = lr.empty() ? "[model]\nd_model = 8\n" : "[optim]\nlr = " + lr + "\n";
    record.tags = std::move(tags);
    return record;
}

}  // namespace

class TestRunGroups : public QObject {
    Q_OBJECT

private slots:
    void groupsByTagAndConfigKey() {
        const std::vector<store::RunRecord> runs{run(1, "0.1", {"a", "b"}), run(2, "0.2", {"a"}),
                                                 run(3, "0.1", {}), run(4, "", {})};
        QList<ui::RunGroup> byTag = ui::groupRunsByTag(runs);
        QCOMPARE(byTag.size(), 2);
        QCOMPARE(byTag[0].name, QString("a"));
        QCOMPARE(byTag[0].runIds, (QList<int64_t>{1, 2}));
        QCOMPARE(byTag[1].runIds, (QList<int64_t>{1}));
        QList<ui::RunGroup> byKey = ui::groupRunsByConfigKey(runs, "optim.lr");
        QCOMPARE(byKey.size(), 3);
        QCOMPARE(byKey[0].name, QString("optim.lr = (absent)"));
        QCOMPARE(byKey[0].runIds, (QList<int64_t>{4}));
        QCOMPARE(byKey[1].name, QString("optim.lr = 0.1"));
        QCOMPARE(byKey[1].runIds, (QList<int64_t>{1, 3}));
    }

    void aBandOverTheSharedRange() {
        // One run logged every step from 0 to 4, the other every second step from 1 to 5.
        const QList<QPointF> dense{{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4}};
        const QList<QPointF> sparse{{1, 3}, {3, 1}, {5, 9}};
        ui::SeriesBand band = ui::bandOf({dense, sparse});
        QCOMPARE(band.mean.size(), 4);  // x = 1..4 of the denser run
        QCOMPARE(band.mean[0], QPointF(1, 2));
        QCOMPARE(band.lower[1], QPointF(2, 2));  // sparse at 2 interpolates to 2
        QCOMPARE(band.upper[1], QPointF(2, 2));
        QCOMPARE(band.lower[2], QPointF(3, 1));
        QCOMPARE(band.upper[2], QPointF(3, 3));
        QCOMPARE(band.mean[3], QPointF(4, (4 + 5) / 2.0));  // sparse at 4: halfway to 9
        QVERIFY(ui::bandOf({dense, {}}).mean.isEmpty());
        QVERIFY(ui::bandOf({{{0, 1}}, {{2, 1}}}).mean.isEmpty());  // no shared range
    }

    void aDifferenceFromTheBaseline() {
        const QList<QPointF> baseline{{0, 1}, {10, 11}};
        const QList<QPointF> run{{-1, 0}, {0, 2}, {5, 5}, {10, 20}, {11, 0}};
        QCOMPARE(ui::differenceFrom(run, baseline), (QList<QPointF>{{0, 1}, {5, -1}, {10, 9}}));
        QVERIFY(ui::differenceFrom(run, {}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRunGroups)
#include "tst_run_groups.moc"
