// `strata-cli runs` and `attach` as a user runs them, on a real workspace, worker and SQLite
// history: start two runs, then list, filter, sort, show, diff, export and back up the history;
// start and attach a run on a real OpenSSH server, and list that server's workspace through its
// worker; each mistake gets a one-line error.
#include "cli_runner.h"
#include "core/common/login_name.h"
#include "core/store/run_history.h"
#include "tests/core/proto/ssh_server.h"
#include "tests/core/proto/tiny_workspace.h"

#include <QtTest>

using namespace strata;

namespace {

// The tiny config as a file in `folder` of the workspace with one optimizer change, its data paths
// relative to that folder: how `strata-cli train` reads a local config. (For a remote run they
// are relative to the remote workspace: folder "".)
QString writeConfig(const TinyWorkspace& workspace, const char* name, const char* lr,
                    const std::string& folder = "configs") {
    std::string text = workspace.spec(12, 6).configText;
    auto replace = [&](const std::string& from, const std::string& to) {
        text.replace(text.find(from), from.size(), to);
    };
    std::string data = folder.empty() ? "data/" : "../data/";
    replace("shards = \"shards\"", "shards = \"" + data + "shards\"");
    replace("tokenizer = \"tokenizer.json\"", "tokenizer = \"" + data + "tokenizer.json\"");
    replace("lr = 0.01", std::string("lr = ") + lr);
    std::filesystem::create_directories(workspace.root / folder);
    QString path = QString::fromStdString((workspace.root / folder / name).string());
    writeFile(path, QByteArray::fromStdString(text));
    return path;
}

}  // namespace

class TestCliRuns : public QObject {
    Q_OBJECT

    TinyWorkspace m_workspace;
    QString m_root = QString::fromStdString(m_workspace.root.string());

    CliRun runs(QStringList args) { return runCli(QStringList{"runs"} << args << "-w" << m_root); }

private slots:
    void initTestCase() {
        CliRun alpha = runs({"start", writeConfig(m_workspace, "alpha.toml", "0.01"), "--name",
                             "alpha", "--tag", "baseline"});
        QVERIFY2(alpha.exitCode == 0, qPrintable(alpha.err));
        QVERIFY(alpha.out.startsWith("alpha-"));
        QVERIFY2(alpha.err.contains("completed at step 12"), qPrintable(alpha.err));
        CliRun beta = runs(
            {"start", writeConfig(m_workspace, "beta.toml", "0.02"), "--name", "beta", "--detach"});
        QVERIFY2(beta.exitCode == 0, qPrintable(beta.err));
        CliRun attach = runCli({"attach", beta.out.trimmed(), "-w", m_root});
        QVERIFY2(attach.exitCode == 0, qPrintable(attach.err));
    }

    void listFiltersAndSorts() {
        CliRun all = runs({"list", "--sort", "name", "--ascending"});
        QVERIFY2(all.exitCode == 0, qPrintable(all.err));
        QStringList lines = all.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);  // header and two runs
        QVERIFY(lines[1].contains("alpha-") && lines[1].contains("completed"));
        QVERIFY(lines[2].contains("beta-") && lines[2].contains("local"));
        CliRun tagged = runs({"list", "--tag", "baseline"});
        QCOMPARE(tagged.out.trimmed().split('\n').size(), 2);
        QVERIFY(tagged.out.contains("alpha-"));
        CliRun failed = runs({"list", "--state", "failed"});
        QCOMPARE(failed.out.trimmed().split('\n').size(), 1);
    }

    void showDiffExportBackup() {
        CliRun show = runs({"show", "1"});
        QVERIFY2(show.exitCode == 0, qPrintable(show.err));
        QVERIFY(show.out.contains("state    completed"));
        // Who started it: the login its worker ran as.
        QVERIFY2(show.out.contains(QString::fromStdString("by       " + common::loginName())),
                 qPrintable(show.out));
        QVERIFY(show.out.contains("loss"));
        QVERIFY(show.out.contains("checkpoint step 12"));
        QVERIFY(show.out.contains("[model]"));
        // The config the trainer resolved, defaults included, not only the keys of the file.
        QVERIFY(show.out.contains("weight_decay = "));

        CliRun comment = runs({"comment", "1", "--text", "good baseline", "--author", "ana"});
        QVERIFY2(comment.exitCode == 0, qPrintable(comment.err));
        QVERIFY(runs({"comment", "1", "--text", "by the login"}).exitCode == 0);
        CliRun commented = runs({"show", "1"});
        QVERIFY2(commented.out.contains("comment by ana, "), qPrintable(commented.out));
        QVERIFY(commented.out.contains(": good baseline"));
        QVERIFY(commented.out.contains(": by the login"));

        CliRun diff = runs({"diff", "1", "2"});
        QVERIFY2(diff.exitCode == 0, qPrintable(diff.err));
        QVERIFY2(diff.out.contains("optim.lr") && diff.out.contains("0.02"), qPrintable(diff.out));
        QCOMPARE(diff.out.trimmed().split('\n').size(), 1);

        QTemporaryDir out;
        QString csv = out.filePath("alpha.csv");
        QCOMPARE(runs({"export", "1", "-o", csv}).exitCode, 0);
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QList<QByteArray> rows = file.readAll().trimmed().split('\n');
        QCOMPARE(rows.front(), QByteArray("key,step,value,wall_time,rank"));
        int lossRows = 0;
        for (const QByteArray& row : rows)
            lossRows += row.startsWith("loss,");
        QCOMPARE(lossRows, 12);

        QString backup = out.filePath("backup.db");
        QCOMPARE(runs({"backup", "-o", backup}).exitCode, 0);
        store::RunHistory copy(backup.toStdString());
        QCOMPARE(copy.listRuns().size(), size_t(2));
        QCOMPARE(copy.run(1).lastStep, 12);
    }

    void remoteRunThroughSsh() {
        SshServer ssh;
        QVERIFY2(ssh.started(), qPrintable(ssh.log()));
        strata::proto::WorkerTarget target = ssh.target(STRATA_CLI, m_workspace.root.string());
        QStringList sshArgs{"--identity", QString::fromStdString(target.identityFile),
                            "--remote-cli", STRATA_CLI};
        for (const std::string& option : target.sshOptions)
            sshArgs << "--ssh-option" << QString::fromStdString(option);
        QTemporaryDir client;  // the reviewer's own workspace, holding only the history
        auto clientRuns = [&](QStringList args) {
            return runCli(QStringList{"runs"} << args << "-w" << client.path() << sshArgs);
        };
        CliRun start = clientRuns({"start", writeConfig(m_workspace, "remote.toml", "0.01", ""),
                                   "--target", QString::fromStdString(target.name()),
                                   "--remote-workspace", m_root, "--detach"});
        QVERIFY2(start.exitCode == 0, qPrintable(start.err));
        // attach finds the remote workspace from the run's folder.
        CliRun attach =
            runCli(QStringList{"attach", start.out.trimmed(), "-w", client.path()} << sshArgs);
        QVERIFY2(attach.exitCode == 0, qPrintable(attach.err));
        CliRun list = clientRuns({"list"});
        QVERIFY2(list.out.contains("completed") && list.out.contains("ssh://127.0.0.1:"),
                 qPrintable(list.out));

        // The workspace itself, listed over SSH: its worker keeps a history of every run of its
        // folders, this one too, whoever started it and from where, each event once.
        const QString hostWorkspace = QString("ssh://127.0.0.1:%1%2").arg(ssh.port()).arg(m_root);
        const QString remoteRun = start.out.trimmed();
        for (int listing = 0; listing < 2; ++listing) {
            CliRun hostList =
                runCli(QStringList{"runs", "list", "--state", "completed", "-w", hostWorkspace}
                       << sshArgs);
            QVERIFY2(hostList.exitCode == 0, qPrintable(hostList.err));
            QVERIFY2(hostList.out.contains(remoteRun) && hostList.out.contains("alpha-"),
                     qPrintable(hostList.out));
        }
        store::RunHistory host(m_workspace.root / "strata.db");
        std::optional<store::RunRecord> recorded = host.findRun("local", remoteRun.toStdString());
        QVERIFY(recorded);
        QCOMPARE(recorded->lastStep, int64_t(12));
        QCOMPARE(recorded->createdBy, common::loginName());  // the SSH login
        QVERIFY(recorded->state == store::RunState::Completed);

        // Reviewers work on it over SSH too, commenting as the SSH login.
        auto hostRuns = [&](QStringList args) {
            return runCli(QStringList{"runs"} << args << "-w" << hostWorkspace << sshArgs);
        };
        CliRun comment = hostRuns({"comment", remoteRun, "--text", "looks fine from here"});
        QVERIFY2(comment.exitCode == 0, qPrintable(comment.err));
        CliRun show = hostRuns({"show", remoteRun});
        QVERIFY2(show.exitCode == 0, qPrintable(show.err));
        const QString login = QString::fromStdString(common::loginName());
        QVERIFY2(show.out.contains("by       " + login) && show.out.contains("metrics: ") &&
                     show.out.contains("comment by " + login) &&
                     show.out.contains("looks fine from here") && show.out.contains("[optim]"),
                 qPrintable(show.out));
        const QString remoteCsv = client.filePath("remote.csv");
        const QString hostCsv = client.filePath("host.csv");
        QCOMPARE(hostRuns({"export", remoteRun, "-o", remoteCsv}).exitCode, 0);
        QCOMPARE(runs({"export", QString::number(recorded->id), "-o", hostCsv}).exitCode, 0);
        QFile remoteFile(remoteCsv), hostFile(hostCsv);
        QVERIFY(remoteFile.open(QIODevice::ReadOnly) && hostFile.open(QIODevice::ReadOnly));
        const QByteArray exported = remoteFile.readAll();
        QCOMPARE(exported, hostFile.readAll());
        QVERIFY(exported.count('\n') > 12);
        CliRun diff = hostRuns({"diff", remoteRun, remoteRun});
        QVERIFY2(diff.out.contains("the configs are the same"), qPrintable(diff.out + diff.err));

        // A run started in that workspace, by its worker, and followed through its history.
        CliRun started = hostRuns({"start", writeConfig(m_workspace, "there.toml", "0.02", ""),
                                   "--name", "there", "--tag", "remote"});
        QVERIFY2(started.exitCode == 0, qPrintable(started.err));
        QVERIFY2(started.out.startsWith("there-"), qPrintable(started.out));
        QVERIFY2(started.err.contains("completed at step 12"), qPrintable(started.err));
        std::optional<store::RunRecord> there =
            host.findRun("local", started.out.trimmed().toStdString());
        QVERIFY(there && there->state == store::RunState::Completed);
        QCOMPARE(there->tags, std::vector<std::string>{"remote"});
        // attach on that workspace follows the run in the host's history.
        CliRun attached =
            runCli(QStringList{"attach", started.out.trimmed(), "-w", hostWorkspace} << sshArgs);
        QVERIFY2(attached.exitCode == 0 && attached.err.contains("completed at step 12"),
                 qPrintable(attached.err));
        CliRun continued = hostRuns({"continue", started.out.trimmed()});
        QVERIFY2(continued.exitCode == 0 && continued.err.contains("completed at step 12"),
                 qPrintable(continued.err));
        CliRun stopEnded = hostRuns({"stop", started.out.trimmed()});
        QCOMPARE(stopEnded.exitCode, 1);
        QVERIFY2(stopEnded.lastErrorLine().contains("has no process to stop"),
                 qPrintable(stopEnded.err));
        CliRun targeted = hostRuns(
            {"start", writeConfig(m_workspace, "there.toml", "0.02", ""), "--target", "local"});
        QCOMPARE(targeted.exitCode, 1);
        QVERIFY2(targeted.lastErrorLine().contains("--target and --nodes are for a workspace of "
                                                   "this machine"),
                 qPrintable(targeted.err));
        CliRun backup = hostRuns({"backup", "-o", client.filePath("copy.db")});
        QCOMPARE(backup.exitCode, 1);
        QVERIFY2(backup.lastErrorLine().contains("run it on the host"), qPrintable(backup.err));
    }

    void mistakesGetOneLine_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown run") << QStringList{"show", "nope"} << "no run \"nope\"";
        QTest::newRow("unknown id") << QStringList{"show", "99"} << "99";
        QTest::newRow("sort key") << QStringList{"list", "--sort", "mood"} << "--sort mood";
        QTest::newRow("state") << QStringList{"list", "--state", "sleepy"} << "sleepy";
        QTest::newRow("export without -o") << QStringList{"export", "1"} << "needs -o FILE";
        QTest::newRow("diff one") << QStringList{"diff", "1"} << "needs two runs";
        QTest::newRow("comment without text") << QStringList{"comment", "1"} << "needs --text TEXT";
        QTest::newRow("empty comment")
            << QStringList{"comment", "1", "--text", " "} << "a comment needs some text";
        QTest::newRow("action") << QStringList{"frobnicate", "1"} << "unknown action";
        QTest::newRow("config") << QStringList{"start", "missing.toml"} << "missing.toml";
        QTest::newRow("target") << QStringList{"start", m_root + "/configs/alpha.toml", "--target",
                                               "gpu"}
                                << "target \"gpu\": expected \"local\", ssh://";
        QTest::newRow("stop ended run") << QStringList{"stop", "1"} << "has no process to stop";
        QTest::newRow("nproc") << QStringList{"start", m_root + "/configs/alpha.toml", "--nproc",
                                              "0"}
                               << "--nproc 0: expected 1 to 1024 processes";
        QTest::newRow("local first of several hosts")
            << QStringList{"start",    m_root + "/configs/alpha.toml",
                           "--target", "local",
                           "--target", "ssh://gpu-b"}
            << "local as the first host of a run across several: give the address";
    }
    void mistakesGetOneLine() {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        CliRun run = runs(args);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.lastErrorLine().contains(error), qPrintable(run.err));
        QVERIFY2(run.lastErrorLine().startsWith("strata-cli runs: error: "), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestCliRuns)
#include "tst_cli_runs.moc"
