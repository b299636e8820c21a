// events.jsonl: one valid JSON object a line, a seq that keeps counting when the log is opened
// again, and a line cut short by a crash dropped on reopening.
#include "core/train/event_log.h"

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
            train::EventLog log(path);
            train::StepMetrics step;
            step.step = 1;
            step.loss = 2.5;
            step.router.push_back({1, {0.75, 0.25}, {0.01, -0.01}, 0.6, 3, 0.02, 0.001});
            log.runStarted({0, 100, "cpu", "fp32", 1000, 600, ""});
            log.step(step);
            log.evaluated({1, 2.0, std::exp(2.0), 64});
            log.log("warning", "a \"quoted\"\nmessage");
        }
        {
            train::EventLog log(path);
            QCOMPARE(log.lastSeq(), int64_t(5));
            log.runFinished(1, train::RunStatus::Completed, "");
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

    void aTornLastLineIsDropped() {
        QTemporaryDir tmp;
        fs::path path = fs::path(tmp.path().toStdString()) / "events.jsonl";
        {
            train::EventLog log(path);
            log.log("info", "one");
            log.log("info", "two");
        }
        std::ofstream(path, std::ios::app) << "{\"seq\":3,\"time\":1.0,\"ra";
        {
            train::EventLog log(path);
            QCOMPARE(log.lastSeq(), int64_t(2));
            log.log("info", "three");
        }
        std::vector<QJsonObject> events = readEvents(path);
        QCOMPARE(events.size(), size_t(3));
        QCOMPARE(events[2]["seq"].toInteger(), qint64(3));
        QCOMPARE(data(events[2])["message"].toString(), QString("three"));
    }

    void anUnwritableFolderIsAnError() {
        QVERIFY_THROWS_EXCEPTION(std::exception, train::EventLog("/nonexistent/dir/events.jsonl"));
    }
};

QTEST_GUILESS_MAIN(TestEventLog)
#include "tst_event_log.moc"
