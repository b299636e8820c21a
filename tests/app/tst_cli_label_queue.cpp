// `strata-cli labels import|claim|submit|release|stats|export|queue` as annotators' scripts run
// them, several annotators on one workspace: each claim hands out a pair nobody else holds, a
// released pair goes to the next annotator, labels land in the run history under their
// annotator, stats count them per annotator and export writes the A/B choices. The same commands
// on a workspace on another host (a real sshd on 127.0.0.1), where the SSH login labels. Bad
// input (a missing pair or choice, an unknown pair or choice, a bad pairs file, a settings change
// by someone other than the owner) is a one-line error that changes nothing.
#include "cli_runner.h"
#include "core/common/workspace_paths.h"
#include "core/store/label_store.h"
#include "tests/core/proto/ssh_server.h"

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
        // The workspace first, so a test's own -w wins.
        return runCli(QStringList{"labels", "-w", path("ws")} + args);
    }

private slots:
    void initTestCase() {
        // Labels kept for a remote workspace go to the data folder: this test's own.
        qputenv("XDG_DATA_HOME", path("data").toUtf8());
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
        // The login imported the pairs, so the queue is theirs to configure.
        const QString login = getpwuid(geteuid())->pw_name;
        QJsonObject queue = jsonOf(labels({"queue", "--json", "--labels-per-pair", "2"}));
        QCOMPARE(queue["owner"].toString(), login);
        QCOMPARE(queue["labels_per_pair"].toInt(), 2);
        CliRun claimed = labels({"claim", "--json"});
        QVERIFY2(claimed.exitCode == 0, qPrintable(claimed.err));
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
            << QStringList{"queue", "-n", "0"} << "labels per pair must be 1 to 1000, not 0";
        QTest::newRow("claim minutes")
            << QStringList{"queue", "--claim-minutes", "0.5"}
            << "a claim must hold a pair for 1 minute to 7 days, not 30 seconds";
        QTest::newRow("not the owner")
            << QStringList{"queue", "-n", "3"} << "only they can change its settings";
        QTest::newRow("remote without a folder")
            << QStringList{"stats", "-w", "ssh://127.0.0.1"} << "name its folder on the host";
        QTest::newRow("score a remote workspace in batches")
            << QStringList{"score", "-r", "rm", "-b", "4", "-w", "ssh://gpu/ws"}
            << "--batch and --threads are for a workspace on this machine";
        QTest::newRow("guidelines too long")
            << QStringList{"queue", "--guidelines", "@long.md"}
            << "long.md: guidelines of 1048577 bytes are over the 1 MiB cap";
        // Refused before any connection is tried: no host answers at port 1.
        QTest::newRow("remote import too large")
            << QStringList{"import", "@huge.jsonl", "-w", "ssh://127.0.0.1:1/ws"}
            << "huge.jsonl: 16 MiB of pairs is over the 16 MiB one remote import takes";
    }
    void badInputGetsOneLineErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        QVERIFY(
            writeFile(path("bad.jsonl"),
                      "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}\n{\"prompt\""));
        QVERIFY(writeFile(path("long.md"), QByteArray((1 << 20) + 1, '#')));
        QVERIFY(writeFile(path("huge.jsonl"), QByteArray(16 << 20, ' ')));
        store::LabelStore store(common::historyFile(path("ws").toStdString()));
        const store::LabelCounts before = store.counts();
        CliRun run = labels(withPathsIn(m_dir, args) + QStringList{"-a", "ana"});
        const store::QueueSettings settings = store.queueSettings();
        QCOMPARE(settings.labelsPerPair, 2);
        QCOMPARE(settings.claimSeconds, 600.0);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.lastErrorLine().contains(error), qPrintable(run.err));
        const store::LabelCounts after = store.counts();
        QCOMPARE(after.numPairs, before.numPairs);
        QCOMPARE(after.numA + after.numB + after.numTie + after.numSkip,
                 before.numA + before.numB + before.numTie + before.numSkip);
    }

    // The workspace on "another host": the commands go through its worker over SSH, and the login
    // there is who labels, imports and owns the queue.
    void aWorkspaceOverSsh() {
        SshServer ssh;
        QVERIFY2(ssh.started(), qPrintable(ssh.log()));
        QVERIFY(QDir().mkpath(path("host-ws")));
        const strata::proto::WorkerTarget target = ssh.target(STRATA_CLI, {});
        const QString workspace =
            QString("ssh://127.0.0.1:%1%2").arg(ssh.port()).arg(path("host-ws"));
        QStringList sshArgs{"-w",           workspace,
                            "--identity",   QString::fromStdString(target.identityFile),
                            "--remote-cli", STRATA_CLI};
        for (const std::string& option : target.sshOptions)
            sshArgs << "--ssh-option" << QString::fromStdString(option);
        auto remote = [&](QStringList args) {
            return runCli(QStringList{"labels"} + args + sshArgs);
        };
        const QString login = getpwuid(geteuid())->pw_name;
        QVERIFY(writeFile(path("bad.jsonl"),
                          "{\"prompt\": \"p\", \"chosen\": \"a\", "
                          "\"rejected\": \"b\"}\n{\"prompt\""));

        CliRun imported = remote({"import", path("pairs.jsonl")});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        QVERIFY2(imported.out.contains("imported 3 pairs"), qPrintable(imported.out));
        QVERIFY(writeFile(path("guidelines.md"), "# Prefer the answer that helps\n"));
        CliRun queue =
            remote({"queue", "--json", "-n", "2", "--guidelines", path("guidelines.md")});
        QVERIFY2(queue.exitCode == 0, qPrintable(queue.err));
        QCOMPARE(jsonOf(queue)["owner"].toString(), login);

        CliRun mine = remote({"claim", "--json"});
        QVERIFY2(mine.exitCode == 0, qPrintable(mine.err));
        QCOMPARE(jsonOf(mine)["pair"].toInt(), 1);
        QCOMPARE(jsonOf(mine)["prompt"].toString(), QString("the cat"));
        // Two labels a pair: bo is handed pair 1 as well.
        QCOMPARE(jsonOf(remote({"claim", "--json", "-a", "bo"}))["pair"].toInt(), 1);
        CliRun submitted = remote({"submit", "-p", "1", "-c", "a", "--submission", "s-1"});
        QVERIFY2(submitted.out.contains("pair 1: a by " + login), qPrintable(submitted.out));
        CliRun again = remote({"submit", "-p", "1", "-c", "a", "--submission", "s-1"});
        QVERIFY2(again.out.contains("had arrived before"), qPrintable(again.out));
        QVERIFY(remote({"submit", "-p", "1", "-c", "b", "-a", "bo"}).exitCode == 0);

        QJsonObject stats = jsonOf(remote({"stats", "--json"}));
        QCOMPARE(stats["labels"].toInt(), 2);
        QCOMPARE(countOf(stats, login, "a"), 1);
        QCOMPARE(countOf(stats, "bo", "b"), 1);
        QCOMPARE(stats["agreements"].toArray().size(), 1);
        CliRun exported = remote({"export", "-o", path("remote-prefs.jsonl")});
        QVERIFY2(exported.out.contains("wrote 2 preferences"), qPrintable(exported.out));

        // The host's database holds it all; this machine only the export.
        store::LabelStore host(common::historyFile(path("host-ws").toStdString()));
        QCOMPARE(host.labels().size(), size_t(2));
        QCOMPARE(host.queueSettings().guidelines, std::string("# Prefer the answer that helps\n"));

        CliRun bad = remote({"import", path("bad.jsonl")});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.lastErrorLine().contains("bad.jsonl:2"), qPrintable(bad.err));
        QCOMPARE(host.counts().numPairs, int64_t(3));
        CliRun notOwner = remote({"queue", "-n", "1", "-a", "bo"});
        QVERIFY2(notOwner.lastErrorLine().contains("belongs to " + login),
                 qPrintable(notOwner.err));
    }
};

QTEST_GUILESS_MAIN(TestCliLabelQueue)
#include "tst_cli_label_queue.moc"
