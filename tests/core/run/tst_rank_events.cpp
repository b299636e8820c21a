// Ranks' lines in rank 0's events: what rank 1 logs reaches rank 0's sinks with its rank, not
// before an interval has passed unless the run ends, the failed rank's error becomes the run's
// failure, and a broken channel is a warning rather than a lost run.
#include "core/common/error.h"
#include "core/run/event_log.h"
#include "core/run/rank_events.h"
#include "tests/core/run/recording_sink.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace strata;
using run::RankEvents;
using run::RankText;
using run::RunStatus;

namespace {

// Rank 1's texts wait here until rank 0 takes them, as in the rendezvous store.
struct Mailbox {
    std::vector<RankText> waiting;
    RankEvents::Leave leaveAs(int rank) {
        return [this, rank](const std::string& text) { waiting.push_back({rank, text}); };
    }
    RankEvents::Take take() {
        return [this] { return std::exchange(waiting, {}); };
    }
};

RankEvents::Leave unused() {
    return [](const std::string&) { QFAIL("rank 0 left a text"); };
}

}  // namespace

class TestRankEvents : public QObject {
    Q_OBJECT

private slots:
    void anotherRanksLinesReachRankZeroWithTheirRank() {
        Mailbox mailbox;
        RecordingSink mainSink, otherSink;
        RankEvents main(mainSink, 0, unused(), mailbox.take(), std::chrono::milliseconds(0));
        RankEvents other(otherSink, 1, mailbox.leaveAs(1), {}, std::chrono::milliseconds(0));
        other.log("info", "ZeRO-1: rank 1 keeps AdamW's moments for 60 of 120 parameters");
        other.log("warning", "a\ttab and\nnewline stay");
        QCOMPARE(otherSink.logs.size(), size_t(2));  // its own output keeps them too
        main.step({});
        QCOMPARE(mainSink.rankLogs,
                 (std::vector<std::string>{
                     "1 info: ZeRO-1: rank 1 keeps AdamW's moments for 60 of 120 parameters",
                     "1 warning: a\ttab and\nnewline stay"}));
        main.log("info", "rank 0's own line");
        QCOMPARE(mainSink.logs, (std::vector<std::string>{"rank 0's own line"}));
        QCOMPARE(mainSink.rankLogs.size(), size_t(2));
    }

    void linesWaitForTheIntervalButNotForTheEnd() {
        Mailbox mailbox;
        RecordingSink mainSink, otherSink;
        RankEvents main(mainSink, 0, unused(), mailbox.take(), std::chrono::hours(1));
        RankEvents other(otherSink, 1, mailbox.leaveAs(1), {}, std::chrono::hours(1));
        main.runStarted({});  // the first call takes what is there
        other.log("info", "late");
        main.step({});
        main.evaluated({});
        QVERIFY(mainSink.rankLogs.empty());
        main.runFinished(4, RunStatus::Completed, "");
        QCOMPARE(mainSink.rankLogs, (std::vector<std::string>{"1 info: late"}));
        QCOMPARE(mainSink.finishMessages, (std::vector<std::string>{""}));
    }

    void theFailedRanksErrorEndsTheRun() {
        Mailbox mailbox;
        RecordingSink mainSink, otherSink;
        RankEvents main(mainSink, 0, unused(), mailbox.take(), std::chrono::hours(1));
        RankEvents other(otherSink, 1, mailbox.leaveAs(1), {}, std::chrono::hours(1));
        other.runFinished(3, RunStatus::Failed, "data/shards/train-00001.bin: cannot read");
        QCOMPARE(otherSink.finishMessages,
                 (std::vector<std::string>{"data/shards/train-00001.bin: cannot read"}));
        main.runFinished(3, RunStatus::Failed, "rank 0: Connection closed by peer");
        QCOMPARE(mainSink.rankLogs,
                 (std::vector<std::string>{"1 error: data/shards/train-00001.bin: cannot read"}));
        QCOMPARE(mainSink.logs, (std::vector<std::string>{"rank 0: Connection closed by peer"}));
        QCOMPARE(mainSink.finishMessages,
                 (std::vector<std::string>{"rank 1: data/shards/train-00001.bin: cannot read"}));
    }

    void rankZerosOwnFailureStandsWhenNoOtherRankFailed() {
        Mailbox mailbox;
        RecordingSink mainSink;
        RankEvents main(mainSink, 0, unused(), mailbox.take());
        main.runFinished(2, RunStatus::Failed, "the loss is NaN at step 2");
        QCOMPARE(mainSink.finishMessages, (std::vector<std::string>{"the loss is NaN at step 2"}));
        QVERIFY(mainSink.logs.empty());
    }

    void aBrokenChannelIsOneWarning() {
        RecordingSink otherSink;
        int tries = 0;
        RankEvents other(
            otherSink, 1,
            [&](const std::string&) {
                ++tries;
                common::fail("rank 1: leaving a message for rank 0 failed: Broken pipe");
            },
            {});
        other.log("info", "one");
        other.log("info", "two");
        QCOMPARE(tries, 1);
        QCOMPARE(otherSink.logs,
                 (std::vector<std::string>{"one",
                                           "this rank's lines no longer reach rank 0: rank 1: "
                                           "leaving a message for rank 0 failed: Broken pipe",
                                           "two"}));

        RecordingSink mainSink;
        RankEvents main(mainSink, 0, unused(), [&]() -> std::vector<RankText> {
            ++tries;
            common::fail("rank 0: reading the messages other ranks left failed: timeout");
        });
        main.step({});
        main.runFinished(1, RunStatus::Completed, "");
        QCOMPARE(tries, 2);
        QCOMPARE(mainSink.logs.size(), size_t(1));
        QCOMPARE(mainSink.finished.size(), size_t(1));
    }

    void theEventLogRecordsEachLinesRank() {
        QTemporaryDir dir;
        const std::filesystem::path path = dir.filePath("events.jsonl").toStdString();
        {
            run::EventLog events(path, 0);
            events.log("info", "mine");
            events.rankLog(3, "warning", "theirs");
        }
        std::ifstream in(path);
        std::string first, second;
        std::getline(in, first);
        std::getline(in, second);
        QVERIFY2(first.find("\"seq\":1,") != std::string::npos &&
                     first.find("\"rank\":0,") != std::string::npos,
                 first.c_str());
        QVERIFY2(second.find("\"seq\":2,") != std::string::npos &&
                     second.find("\"rank\":3,\"type\":\"log\"") != std::string::npos &&
                     second.find("\"level\":\"warning\"") != std::string::npos,
                 second.c_str());
    }
};

QTEST_GUILESS_MAIN(TestRankEvents)
#include "tst_rank_events.moc"
