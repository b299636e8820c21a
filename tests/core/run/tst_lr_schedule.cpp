// Learning-rate schedules at their landmarks: warmup, peak, midpoint, end, and past the end.
#include "core/run/lr_schedule.h"

#include <QtTest>

using namespace strata::run;

class TestLrSchedule : public QObject {
    Q_OBJECT

private slots:
    void cosine() {
        ScheduleConfig c;
        c.peakLr = 1.0;
        c.minLrRatio = 0.1;
        c.warmupSteps = 10;
        c.totalSteps = 110;
        QCOMPARE(learningRateAt(c, 0), 0.1);
        QCOMPARE(learningRateAt(c, 9), 1.0);
        QCOMPARE(learningRateAt(c, 10), 1.0);
        QVERIFY(std::abs(learningRateAt(c, 60) - 0.55) < 1e-12);  // halfway: (1 + 0.1) / 2
        QVERIFY(std::abs(learningRateAt(c, 110) - 0.1) < 1e-12);
        QVERIFY(std::abs(learningRateAt(c, 500) - 0.1) < 1e-12);
        for (int64_t step = 10; step < 110; ++step)
            QVERIFY(learningRateAt(c, step + 1) <= learningRateAt(c, step));
    }

    void warmupStableDecay() {
        ScheduleConfig c;
        c.kind = ScheduleKind::WarmupStableDecay;
        c.peakLr = 2.0;
        c.minLrRatio = 0.0;
        c.warmupSteps = 4;
        c.totalSteps = 100;
        c.decayFraction = 0.2;
        QCOMPARE(learningRateAt(c, 1), 1.0);
        QCOMPARE(learningRateAt(c, 50), 2.0);
        QCOMPARE(learningRateAt(c, 79), 2.0);
        QCOMPARE(learningRateAt(c, 80), 2.0);  // decay starts here
        QVERIFY(std::abs(learningRateAt(c, 90) - 1.0) < 1e-12);
        QCOMPARE(learningRateAt(c, 100), 0.0);
        QCOMPARE(learningRateAt(c, 150), 0.0);
    }
};

QTEST_APPLESS_MAIN(TestLrSchedule)
#include "tst_lr_schedule.moc"
