// Human units: counts and sizes as console lines print them, and sizes as a form writes and
// reads them back exactly.
#include "core/common/human_units.h"

#include <QtTest>

using namespace strata;

class TestHumanUnits : public QObject {
    Q_OBJECT

private slots:
    void printsCountsAndSizes() {
        QCOMPARE(common::humanCount(999), std::string("999"));
        QCOMPARE(common::humanCount(12345678), std::string("12.3M"));
        QCOMPARE(common::humanCount(1500, "tokens"), std::string("1.5 Ktokens"));
        QCOMPARE(common::humanBytes(3221225472), std::string("3.0 GiB"));
        QCOMPARE(common::humanBytes(100), std::string("100.0 B"));
    }

    void exactSizesReadBack() {
        QCOMPARE(common::exactBytes(0), std::string("0 B"));
        QCOMPARE(common::exactBytes(67108864), std::string("64 MiB"));
        QCOMPARE(common::exactBytes(1536), std::string("1536 B"));
        QCOMPARE(common::exactBytes(uint64_t(3) << 40), std::string("3 TiB"));
        QCOMPARE(common::exactBytes(uint64_t(5) << 50), std::string("5120 TiB"));
        for (uint64_t bytes : {uint64_t(0), uint64_t(1), uint64_t(4096), uint64_t(67108864),
                               uint64_t(1536), uint64_t(3) << 40})
            QCOMPARE(common::parseBytes(common::exactBytes(bytes)), std::optional(bytes));
    }

    void parsesTypedSizes() {
        QCOMPARE(common::parseBytes("4096"), std::optional<uint64_t>(4096));
        QCOMPARE(common::parseBytes(" 64 MiB "), std::optional<uint64_t>(67108864));
        QCOMPARE(common::parseBytes("64mib"), std::optional<uint64_t>(67108864));
        QCOMPARE(common::parseBytes("1.5 GiB"), std::optional<uint64_t>(1610612736));
        QCOMPARE(common::parseBytes("2 MB"), std::optional<uint64_t>(2000000));
        QCOMPARE(common::parseBytes("3 kB"), std::optional<uint64_t>(3000));
        QCOMPARE(common::parseBytes("12 B"), std::optional<uint64_t>(12));
        for (const char* bad : {"", "MiB", "-1 MiB", "1.5", "0.1 KiB", "1..5 MiB", ".5 MiB",
                                "5. MiB", "64 MX", "64 MiB extra", "1e3", "9999999 TiB"})
            QVERIFY2(!common::parseBytes(bad), bad);
    }
};

QTEST_GUILESS_MAIN(TestHumanUnits)
#include "tst_human_units.moc"
