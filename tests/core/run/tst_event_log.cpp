// events.jsonl: one valid JSON object a line, a seq that keeps counting when the log is opened
// again and is never given twice even when a power loss takes the log's tail, a step's inspected
// rollouts as one event, and a line cut short by a crash dropped on reopening.
#include "core/run/event_log.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <fstream>

using namespace strata;
namespace fs = std::filesystem;

namespace {

std::vector<QJsonObject> readEvents(const fs::path& path) {
    std::vector<QJsonObject> events;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        QJsonParseError error;
        QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(line), &error);
        if (error.error != QJsonParseError::NoError) qFatal("invalid line: %s", line.c_str());
        events.push_back(document.object());
    }
    return events;
}

QJsonObject data(const QJsonObject& event) {
    return event["data"].toObject();
}

}  // namespace

class TestEventLog : public QObject {
    Q_OBJECT

private slots:
    void eventsAreJsonLinesWithAContinuingSeq() {
        QTemporaryDir tmp;
        fs::path path = fs::path(tmp.path().toStdString()) / "events.jsonl";
        {
            run::EventLog log(path);
            run::StepMetrics step;
            step.step = 1;
            step.loss = 2.5;
            step.router.push_back({1, {0.75, 0.25}, {0.01, -0.01}, 0.6, 3, 0.02, 0.001});
            log.runStarted({0, 100, "cpu", "fp32", 1000, 600, ""});
            log.step(step);
            log.evaluated({1, 2.0, std::exp(2.0), 64});
            log.log("warning", "a \"quoted\"\nmessage");
        }
        {
            run::EventLog log(path);
            QCOMPARE(log.lastSeq(), int64_t(5));
            log.runFinished(1, run::RunStatus::Completed, "");
        }
        std::vector<QJsonObject> events = readEvents(path);
        QCOMPARE(events.size(), size_t(6));
        QStringList types;
        for (size_t i = 0; i < events.size(); ++i) {
            QCOMPARE(events[i]["seq"].toInteger(), qint64(i + 1));
            QCOMPARE(events[i]["rank"].toInt(), 0);
            QVERIFY(events[i]["time"].toDouble() > 1.7e9);
            types << events[i]["type"].toString();
        }
        QCOMPARE(types,
                 (QStringList{"run_started", "metrics", "router", "eval", "log", "run_finished"}));
        QCOMPARE(data(events[1])["loss"].toDouble(), 2.5);
        QVERIFY(!data(events[1]).contains("mfu"));  // unknown peak: left out
        QCOMPARE(data(events[2])["layers"].toArray()[0].toObject()["load"].toArray()[0].toDouble(),
                 0.75);
        QCOMPARE(data(events[2])["layers"].toArray()[0].toObject()["dropped"].toInt(), 3);
        QCOMPARE(data(events[4])["message"].toString(), QString("a \"quoted\"\nmessage"));
        QCOMPARE(data(events[5])["status"].toString(), QString("completed"));
    }

    void fp8LayersAreOneEvent() {
        QTemporaryDir tmp;
        fs::path path = fs::path(tmp.path().toStdString()) / "events.jsonl";
        {
            run::EventLog log(path);
            run::StepMetrics step;
            step.step = 2;
            step.fp8.push_back(
                {"block0.attention.wq.weight", 4.5, 0.25, 0.001, 64, 1024, 32768, 3, 17});
            log.step(step);
        }
        std::vector<QJsonObject> events = readEvents(path);
        QCOMPARE(events.size(), size_t(2));
        QCOMPARE(events[1]["type"].toString(), QString("fp8"));
        QJsonObject layer = data(events[1])["layers"].toArray()[0].toObject();
        QCOMPARE(layer["name"].toString(), QString("block0.attention.wq.weight"));
        QCOMPARE(layer["amax"].toArray()[2].toDouble(), 0.001);
        QCOMPARE(layer["scale"].toArray()[1].toDouble(), 1024.0);
        QCOMPARE(layer["overflow"].toInt(), 3);
        QCOMPARE(layer["underflow"].toInt(), 17);
    }

    void inspectedRolloutsAreOneEvent() {
        QTemporaryDir tmp;
        fs::path path = fs::path(tmp.path().toStdString()) / "events.jsonl";
        {
            run::EventLog log(path);
            run::StepMetrics step;
            step.step = 3;
            step.rollouts.weights = {{"correctness", 0.9}, {"coherence", 0.1}};
            step.rollouts.klEstimator = "k3";
            step.rollouts.responses.push_back({"Sort: 3 1",
                                               "1 3",
                                               "1 3",
                                               0.95,
                                               {{"correctness", 1.0}, {"coherence", 0.5}},
                                               0.7,
                                               {"1", " 3", "<|eos|>"},
                                               {0.01, 0.2, 0.0}});
            step.rollouts.responses.push_back({"Sort: 2 9", "9", "2 9", 0.0, {}, {}, {"9"}, {}});
            log.step(step);
        }
        std::vector<QJsonObject> events = readEvents(path);
        QCOMPARE(events.size(), size_t(2));
        QCOMPARE(events[1]["type"].toString(), QString("rollouts"));
        QJsonObject rollouts = data(events[1]);
        QCOMPARE(rollouts["step"].toInt(), 3);
        QCOMPARE(rollouts["kl_estimator"].toString(), QString("k3"));
        QCOMPARE(rollouts["weights"].toObject()["correctness"].toDouble(), 0.9);
        QJsonArray samples = rollouts["samples"].toArray();
        QCOMPARE(samples.size(), 2);
        QJsonObject first = samples[0].toObject();
        QCOMPARE(first["response"].toString(), QString("1 3"));
        QCOMPARE(first["parts"].toObject()["coherence"].toDouble(), 0.5);
        QCOMPARE(first["advantage"].toDouble(), 0.7);
        QCOMPARE(first["tokens"].toArray()[2].toString(), QString("<|eos|>"));
        QCOMPARE(first["kl"].toArray()[1].toDouble(), 0.2);
        QJsonObject second = samples[1].toObject();
        QVERIFY(!second.contains("advantage"));
        QVERIFY(!second.contains("kl"));
    }

    void aTornLastLineIsDropped() {
        QTemporaryDir tmp;
        fs::path path = fs::path(tmp.path().toStdString()) / "events.jsonl";
        {
            run::EventLog log(path);
            log.log("info", "one");
            log.log("info", "two");
        }
        std::ofstream(path, std::ios::app) << "{\"seq\":3,\"time\":1.0,\"ra";
        {
            run::EventLog log(path);
            QCOMPARE(log.lastSeq(), int64_t(2));
            log.log("info", "three");
        }
        std::vector<QJsonObject> events = readEvents(path);
        QCOMPARE(events.size(), size_t(3));
        QCOMPARE(events[2]["seq"].toInteger(), qint64(3));
        QCOMPARE(data(events[2])["message"].toString(), QString("three"));
    }

    void aSeqIsNeverGivenTwiceAfterTheLogLosesItsTail() {
        QTemporaryDir tmp;
        fs::path path = fs::path(tmp.path().toStdString()) / "events.jsonl";
        {
            // A clean close: the next writer numbers on without a gap.
            run::EventLog log(path);
            log.log("info", "one");
        }
        // A writer that never closes (killed), whose last events a power loss then takes: a
        // reader may have seen seqs 2 and 3, which the log no longer holds.
        auto* crashed = new run::EventLog(path);
        crashed->log("info", "two");
        crashed->log("info", "three");
        std::ifstream in(path);
        std::string first;
        std::getline(in, first);
        in.close();
        fs::resize_file(path, first.size() + 1);
        {
            run::EventLog log(path);
            QCOMPARE(log.openedAfterSeq(), int64_t(1));
            QVERIFY(log.lastSeq() >= 3);
            log.runStarted({4, 10, "cpu", "fp32", 1000, 600, "step-0000004"});
        }
        std::vector<QJsonObject> events = readEvents(path);
        QCOMPARE(events.size(), size_t(2));
        QCOMPARE(events[0]["seq"].toInteger(), qint64(1));
        QVERIFY(events[1]["seq"].toInteger() > 3);
        QCOMPARE(data(events[1])["after_seq"].toInteger(), qint64(1));
        {
            // After that clean close, on without a gap again.
            run::EventLog log(path);
            QCOMPARE(log.lastSeq(), events[1]["seq"].toInteger());
        }
        std::ofstream(fs::path(path).replace_extension(".seq")) << "many\n";
        QVERIFY_THROWS_EXCEPTION(std::exception, run::EventLog{path});
        delete crashed;
    }

    void anUnwritableFolderIsAnError() {
        QVERIFY_THROWS_EXCEPTION(std::exception, run::EventLog("/nonexistent/dir/events.jsonl"));
    }
};

QTEST_GUILESS_MAIN(TestEventLog)
#include "tst_event_log.moc"
