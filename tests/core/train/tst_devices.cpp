// Device listing: the CPU is always there, first, with its memory; CUDA devices follow if any.
#include "core/train/devices.h"

#include <QtTest>

class TestDevices : public QObject {
    Q_OBJECT

private slots:
    void cpuComesFirst() {
        auto devices = strata::train::listDevices();
        QVERIFY(!devices.empty());
        QCOMPARE(devices.front().id, std::string("cpu"));
        QVERIFY(devices.front().memoryBytes > (1ull << 28));
        for (size_t i = 1; i < devices.size(); ++i)
            QVERIFY(devices[i].id.rfind("cuda:", 0) == 0);
    }

    void reportsTheTorchWeBuiltWith() {
        QCOMPARE(strata::train::torchVersion().substr(0, 4), std::string("2.11"));
    }
};

QTEST_APPLESS_MAIN(TestDevices)
#include "tst_devices.moc"
