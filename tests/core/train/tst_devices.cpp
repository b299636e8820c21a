// Devices: the CPU is always listed, first, with its memory, and CUDA devices follow if any. Each
// rank of a run takes the GPU of its LOCAL_RANK, and a host without the GPUs its ranks need is a
// one-line error before anything is allocated (checked here with a pretended device count).
#include "core/train/devices.h"
#include "tests/error_of.h"

#include <QtTest>

using strata::run::LaunchEnvironment;
using strata::train::chooseRankDevice;

namespace {

// Rank `rank` of `ranksPerHost` on each of two hosts.
LaunchEnvironment rankOf(int rank, int ranksPerHost) {
    LaunchEnvironment launch;
    launch.worldSize = 2 * ranksPerHost;
    launch.localWorldSize = ranksPerHost;
    launch.rank = ranksPerHost + rank;
    launch.localRank = rank;
    return launch;
}

}  // namespace

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

    void eachRankTakesTheGpuOfItsLocalRank() {
        QCOMPARE(chooseRankDevice("auto", rankOf(1, 2), 2), torch::Device("cuda:1"));
        QCOMPARE(chooseRankDevice("cuda", rankOf(3, 4), 8), torch::Device("cuda:3"));
        QCOMPARE(chooseRankDevice("cpu", rankOf(1, 2), 2), torch::Device(torch::kCPU));
        QCOMPARE(chooseRankDevice("auto", rankOf(1, 2), 0), torch::Device(torch::kCPU));
        // One process: "auto" and "cuda" are the first GPU, and a named one is that one.
        QCOMPARE(chooseRankDevice("auto", {}, 4), torch::Device("cuda:0"));
        QCOMPARE(chooseRankDevice("cuda:2", {}, 4), torch::Device("cuda:2"));
    }

    void aHostWithoutTheGpusItsRanksNeedIsRefused() {
        QVERIFY(errorOf([] {
                    chooseRankDevice("cuda", {}, 0);
                }).startsWith("train.device is \"cuda\", but"));
        QCOMPARE(errorOf([] { chooseRankDevice("cuda:2", {}, 2); }),
                 QString("train.device is \"cuda:2\", but there are only 2 CUDA devices"));
        QCOMPARE(errorOf([] { chooseRankDevice("auto", rankOf(0, 2), 1); }),
                 QString("2 ranks run on this host, but it has 1 CUDA device: one GPU each is "
                         "needed"));
        QCOMPARE(errorOf([] { chooseRankDevice("cuda:0", rankOf(1, 2), 2); }),
                 QString("train.device is \"cuda:0\" for all 2 ranks of this host, but each rank "
                         "needs a GPU of its own (\"cuda\" gives rank i cuda:i)"));
    }
};

QTEST_APPLESS_MAIN(TestDevices)
#include "tst_devices.moc"
