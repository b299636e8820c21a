// Heatmap: cells keep their values for the tooltip, the colour ramp's luminance grows with the
// value, and a grid is drawn without errors at any size.
#include "widgets/heatmap.h"

#include <QtTest>

#include <cmath>

using strata::widgets::Heatmap;

class TestHeatmap : public QObject {
    Q_OBJECT

private slots:
    void cellsAndColours() {
        Heatmap map;
        map.resize(300, 150);
        map.setGrid({"expert 0", "expert 1"}, {{0.5, 0.25}, {0.5, 0.75}},
                    {"steps 1–2", "steps 3–4"});
        QCOMPARE(map.rowCount(), 2);
        QCOMPARE(map.columnCount(), 2);
        QCOMPARE(map.cellText(1, 1), QString("expert 1, steps 3–4: 0.75"));
        QVERIFY(map.cellText(2, 0).isEmpty());
        QVERIFY(map.columnsWanted() > 10);
        auto luminance = [](const QColor& c) {
            return 0.2126 * c.redF() + 0.7152 * c.greenF() + 0.0722 * c.blueF();
        };
        for (double fraction = 0; fraction < 1; fraction += 0.125)
            QVERIFY(luminance(Heatmap::colorAt(fraction)) <
                    luminance(Heatmap::colorAt(fraction + 0.125)));
        QCOMPARE(Heatmap::colorAt(std::nan("")), Heatmap::colorAt(0));
        QCOMPARE(Heatmap::colorAt(2.0), Heatmap::colorAt(1));
        QImage image(map.size(), QImage::Format_ARGB32);
        map.render(&image);
        map.clear();
        map.render(&image);
        QCOMPARE(map.rowCount(), 0);
    }
};

QTEST_MAIN(TestHeatmap)
#include "tst_heatmap.moc"
