// The structured metric keys: what the builders write, the parsers read back unchanged, and a key
// the builders would never write (another series, a sign, a leading zero, junk) is not mistaken
// for one.
#include "core/run/metric_keys.h"

#include <QtTest>

using namespace strata;

class TestMetricKeys : public QObject {
    Q_OBJECT

private slots:
    void keysAreSpelledAsStored() {
        QCOMPARE(run::validationKey(run::kMetricLoss), std::string("val_loss"));
        QCOMPARE(run::validationKey(run::kMetricExactMatch), std::string("val_exact_match"));
        QCOMPARE(run::rewardPartKey("correctness"), std::string("reward_correctness"));
        QCOMPARE(run::routerEntropyKey(3), std::string("router.3.entropy"));
        QCOMPARE(run::routerDroppedKey(3), std::string("router.3.dropped"));
        QCOMPARE(run::routerMaxLoadKey(3), std::string("router.3.max_load"));
        QCOMPARE(run::routerLoadKey(3, 5), std::string("router.3.load.5"));
        QCOMPARE(run::fp8LayerKey("block0.attention.wq.weight", run::kFp8InputAmax),
                 std::string("fp8.block0.attention.wq.weight.input_amax"));
    }

    void routerLoadKeysRoundTrip() {
        for (int64_t layer : {0, 1, 7, 10, 123456789})
            for (int64_t expert : {0, 3, 10, 255}) {
                std::optional<run::RouterLoadKey> parsed =
                    run::parseRouterLoadKey(run::routerLoadKey(layer, expert));
                QVERIFY(parsed);
                QCOMPARE(parsed->layer, layer);
                QCOMPARE(parsed->expert, expert);
            }
    }

    void malformedRouterLoadKeysAreRejected_data() {
        QTest::addColumn<QString>("key");
        for (const char* key : {"",
                                "router.",
                                "router.1.load.",
                                "router..load.2",
                                "router.1.load",
                                "router.1.entropy",
                                "router.1.max_load",
                                "router.1.dropped",
                                "router.x.load.2",
                                "router.1.load.y",
                                "router.-1.load.2",
                                "router.1.load.-2",
                                "router.+1.load.2",
                                "router.01.load.2",
                                "router.1.load.02",
                                "router.1.2.load.3",
                                "router.1.load.2.3",
                                "router.1.load.2 ",
                                "Router.1.load.2",
                                "xrouter.1.load.2",
                                "loss",
                                "router.99999999999999999999.load.1"})
            QTest::newRow(*key ? key : "empty") << QString(key);
    }
    void malformedRouterLoadKeysAreRejected() {
        QFETCH(QString, key);
        QVERIFY(!run::parseRouterLoadKey(key.toStdString()));
    }

    void rewardPartsAndFp8LayersRoundTrip() {
        QCOMPARE(std::string(run::parseRewardPartKey(run::rewardPartKey("model")).value_or("")),
                 std::string("model"));
        QVERIFY(!run::parseRewardPartKey(run::kMetricReward));
        QVERIFY(!run::parseRewardPartKey("reward_"));
        QVERIFY(!run::parseRewardPartKey("val_reward_model"));

        const std::string weight = "block1.moe.experts.gate";
        for (const char* series : run::kFp8AmaxSeries)
            QCOMPARE(
                std::string(
                    run::parseFp8LayerKey(run::fp8LayerKey(weight, series), series).value_or("")),
                weight);
        std::string gradAmax = run::fp8LayerKey(weight, run::kFp8GradAmax);
        QVERIFY(!run::parseFp8LayerKey(gradAmax, run::kFp8InputAmax));
        QVERIFY(!run::parseFp8LayerKey("fp8.input_amax", run::kFp8InputAmax));
        QVERIFY(!run::parseFp8LayerKey("fp8.wqinput_amax", run::kFp8InputAmax));
        QVERIFY(!run::parseFp8LayerKey(run::kMetricFp8Overflow, run::kFp8LayerOverflow));
    }
};

QTEST_GUILESS_MAIN(TestMetricKeys)
#include "tst_metric_keys.moc"
