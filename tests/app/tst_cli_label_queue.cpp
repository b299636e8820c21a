// `strata-cli labels import|claim|submit|release|stats|export` as annotators' scripts run them,
// several annotators on one workspace: each claim hands out a pair nobody else holds, a released
// pair goes to the next annotator, labels land in the run history under their annotator, stats
// count them per annotator and export writes the A/B choices. Bad input (a missing pair or
// choice, an unknown pair or choice, a bad pairs file) is a one-line error that changes nothing.
#include "cli_runner.h"
#include "core/common/workspace_paths.h"
#include "core/store/label_store.h"

#include <pwd.h>
#include <unistd.h>

#include <QDir>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace strata;

namespace {

QJsonObject jsonOf(const CliRun& run) {
    return QJsonDocument::fromJson(run.out.toUtf8()).object();
}

// An annotator's count in `labels stats --json`.
int countOf(const QJsonObject& stats, const QString& annotator, const char* key) {
    return stats["annotators"].toObject()[annotator].toObject()[key].toInt();
}

}  // namespace

class TestCliLabelQueue : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString path(const char* name) const { return m_dir.filePath(name); }

    CliRun labels(QStringList args) {
        return runCli(QStringList{"labels"} + args + QStringList{"-w", path("ws")});
    }

private slots:
    void initTestCase() {
        QVERIFY(QDir().mkpath(path("ws")));
        QByteArray pairs;
        for (const char* word : {"cat", "dog", "sun"})
            pairs += QString(
                         "{\"prompt\": \"the %1\", \"chosen\": \"a %1\", \"rejected\": \"no "
                         "%1\"}\n")
                         .arg(word)
                         .toUtf8();
        QVERIFY(writeFile(path("pairs.jsonl"), pairs));
        CliRun imported = labels({"import", path("pairs.jsonl")});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        QVERIFY2(imported.out.contains("imported 3 pairs"), qPrintable(imported.out));
    }

    void annotatorsClaimSubmitAndRelease() {
        CliRun ana = labels({"claim", "--json", "--annotator", "ana"});
        QVERIFY2(ana.exitCode == 0, qPrintable(ana.err));
        QCOMPARE(ana.out.count('\n'), 1);  // one line
        QJsonObject first = jsonOf(ana);
        QCOMPARE(first["pair"].toInt(), 1);
        QCOMPARE(first["prompt"].toString(), QString("the cat"));
        QCOMPARE(first["a"].toString(), QString("a cat"));
        QCOMPARE(first["b"].toString(), QString("no cat"));
        QCOMPARE(jsonOf(labels({"claim", "--json", "-a", "bo"}))["pair"].toInt(), 2);

        CliRun submitted = labels({"submit", "--pair", "1", "--choice", "a", "--rationale",
                                   "names the cat", "-a", "ana"});
        QVERIFY2(submitted.exitCode == 0, qPrintable(submitted.err));
        QVERIFY(labels({"release", "--pair", "2", "-a", "bo"}).exitCode == 0);
        // Pair 2 is free again: the next annotator gets it before pair 3.
        QCOMPARE(jsonOf(labels({"claim", "--json", "-a", "cy"}))["pair"].toInt(), 2);
        QVERIFY(labels({"submit", "-p", "2", "-c", "b", "-a", "cy"}).exitCode == 0);
        QCOMPARE(jsonOf(labels({"claim", "--json", "-a", "ana"}))["pair"].toInt(), 3);
        QVERIFY(labels({"submit", "-p", "3", "-c", "tie", "-a", "ana"}).exitCode == 0);
        QVERIFY(jsonOf(labels({"claim", "--json", "-a", "bo"}))["pair"].isNull());

        store::LabelStore store(common::historyFile(path("ws").toStdString()));
        std::vector<store::Label> all = store.labels();
        QCOMPARE(all.size(), size_t(3));
        QCOMPARE(all[0].annotator, std::string("ana"));
        QCOMPARE(all[0].rationale, std::string("names the cat"));
        QCOMPARE(all[1].annotator, std::string("cy"));
        QVERIFY(all[1].choice == store::Choice::B);

        QJsonObject stats = jsonOf(labels({"stats", "--json"}));
        QCOMPARE(stats["pairs"].toInt(), 3);
        QCOMPARE(stats["labels"].toInt(), 3);
        QCOMPARE(countOf(stats, "ana", "labels"), 2);
        QCOMPARE(countOf(stats, "ana", "tie"), 1);
        QCOMPARE(countOf(stats, "cy", "b"), 1);

        CliRun exported = labels({"export", "-o", path("prefs.jsonl")});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        QFile prefs(path("prefs.jsonl"));
        QVERIFY(prefs.open(QIODevice::ReadOnly));
        QCOMPARE(
            prefs.readAll(),
            QByteArray("{\"prompt\":\"the cat\",\"chosen\":\"a cat\",\"rejected\":\"no cat\"}\n"
                       "{\"prompt\":\"the dog\",\"chosen\":\"no dog\",\"rejected\":\"a dog\"}\n"));
    }

    // Without --annotator the login name labels.
    void theLoginNameIsTheDefaultAnnotator() {
        CliRun claimed = labels({"claim", "--json", "--labels-per-pair", "2"});
        QVERIFY2(claimed.exitCode == 0, qPrintable(claimed.err));
        const QString login = getpwuid(geteuid())->pw_name;
        QJsonObject stats = jsonOf(labels({"stats", "--json"}));
        QVERIFY(!stats["annotators"].toObject().contains(login));
        const int pair = jsonOf(claimed)["pair"].toInt();
        QVERIFY(labels({"submit", "-p", QString::number(pair), "-c", "skip"}).exitCode == 0);
        stats = jsonOf(labels({"stats", "--json"}));
        QCOMPARE(countOf(stats, login, "skip"), 1);
    }

    void badInputGetsOneLineErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("error");
        QTest::newRow("no pair") << QStringList{"submit", "-c", "a"} << "--pair ID is required";
        QTest::newRow("no choice")
            << QStringList{"submit", "-p", "1"} << "--choice a|b|tie|skip is required";
        QTest::newRow("unknown choice") << QStringList{"submit", "-p", "1", "-c", "left"} << "left";
        QTest::newRow("unknown pair")
            << QStringList{"submit", "-p", "99", "-c", "a"} << "no preference pair with id 99";
        QTest::newRow("release unknown")
            << QStringList{"release", "-p", "99"} << "no preference pair with id 99";
        QTest::newRow("no file") << QStringList{"import"} << "give the PAIRS.jsonl to read";
        QTest::newRow("bad line") << QStringList{"import", "@bad.jsonl"} << "bad.jsonl:2";
        QTest::newRow("no output") << QStringList{"export"} << "-o FILE.jsonl is required";
        QTest::newRow("labels per pair")
            << QStringList{"claim", "-n", "0"} << "--labels-per-pair must be between 1 and 1000";
    }
    void badInputGetsOneLineErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        QVERIFY(
            writeFile(path("bad.jsonl"),
                      "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}\n{\"prompt\""));
        store::LabelStore store(common::historyFile(path("ws").toStdString()));
        const store::LabelCounts before = store.counts();
        CliRun run = labels(withPathsIn(m_dir, args) + QStringList{"-a", "ana"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.lastErrorLine().contains(error), qPrintable(run.err));
        const store::LabelCounts after = store.counts();
        QCOMPARE(after.numPairs, before.numPairs);
        QCOMPARE(after.numA + after.numB + after.numTie + after.numSkip,
                 before.numA + before.numB + before.numTie + before.numSkip);
    }
};

QTEST_GUILESS_MAIN(TestCliLabelQueue)
#include "tst_cli_label_queue.moc"
