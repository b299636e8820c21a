// `strata-cli runs` on a slurm:// target, as a user runs them, against a real single-node Slurm
// reached through a real OpenSSH server: start a run with an sbatch option and follow it to its
// end, see its job in `runs list` and `runs show`; start one behind a job that holds the node and
// stop it while it waits; mistakes in the Slurm flags get one line before anything is started.
#include "cli_runner.h"
#include "tests/core/proto/slurm_cluster.h"
#include "tests/core/proto/ssh_server.h"
#include "tests/core/proto/tiny_workspace.h"

#include <QRegularExpression>
#include <QtTest>

using namespace strata;

class TestCliSlurm : public QObject {
    Q_OBJECT

    SlurmCluster m_cluster;
    SshServer m_ssh{{"SetEnv SLURM_CONF=" + m_cluster.conf()}};
    TinyWorkspace m_host;     // the cluster's shared workspace
    QTemporaryDir m_desktop;  // the user's own workspace, holding the history
    QString m_config;

    // How to reach the cluster's login host.
    QStringList sshArgs() const {
        const proto::WorkerTarget target = m_ssh.target(STRATA_CLI, m_host.root.string());
        QStringList args{"--identity", QString::fromStdString(target.identityFile), "--remote-cli",
                         STRATA_CLI};
        for (const std::string& option : target.sshOptions)
            args << "--ssh-option" << QString::fromStdString(option);
        return args;
    }
    // The desktop's workspace, and the login host.
    QStringList clientArgs() const { return QStringList{"-w", m_desktop.path()} << sshArgs(); }
    CliRun runs(const QStringList& args) {
        return runCli(QStringList{"runs"} << args << clientArgs());
    }
    QString slurmTarget() const { return QString("slurm://127.0.0.1:%1").arg(m_ssh.port()); }
    QStringList startArgs(const QString& name) {
        return {"start",
                m_config,
                "--target",
                slurmTarget(),
                "--name",
                name,
                "--remote-workspace",
                QString::fromStdString(m_host.root.string()),
                "--sbatch-option=--time=10"};
    }

private slots:
    void initTestCase() {
        QVERIFY2(m_cluster.ready(), qPrintable(m_cluster.logs()));
        QVERIFY(m_ssh.started());
        // Data paths relative to the remote workspace, as a remote run reads them.
        m_config = QString::fromStdString(m_host.writeConfig("slurm.toml", 8, 4).string());
    }

    void aRunIsAJobFollowedToItsEnd() {
        CliRun start = runs(startArgs("batch"));
        QVERIFY2(start.exitCode == 0, qPrintable(start.err));
        QVERIFY2(start.err.contains("completed at step 8"), qPrintable(start.err));
        CliRun list = runs({"list"});
        static const QRegularExpression job("slurm://127\\.0\\.0\\.1:\\d+  job \\d+ COMPLETED");
        QVERIFY2(list.out.contains(job), qPrintable(list.out));
        CliRun show = runs({"show", start.out.trimmed()});
        QVERIFY2(show.out.contains(QRegularExpression("job +\\d+ COMPLETED")),
                 qPrintable(show.out));
        // The cluster's workspace, listed over SSH, keeps the job too.
        const QString clusterWorkspace =
            QString("ssh://127.0.0.1:%1%2").arg(m_ssh.port()).arg(m_host.root.c_str());
        CliRun hostList = runCli(QStringList{"runs", "list", "-w", clusterWorkspace} << sshArgs());
        static const QRegularExpression hostJob("local  job \\d+ COMPLETED");
        QVERIFY2(hostList.out.contains(hostJob), qPrintable(hostList.out + hostList.err));
    }

    void aWaitingRunIsStoppedByCancellingItsJob() {
        const QString blocker = SlurmCluster::command(
            "sbatch", {"--parsable", QString("--ntasks=%1").arg(SlurmCluster::kCpus),
                       "--wrap=sleep 600", "--output=/dev/null"});
        CliRun start = runs(startArgs("waiting") << "--detach");
        QVERIFY2(start.exitCode == 0, qPrintable(start.err));
        const QString run = start.out.trimmed();
        CliRun stop = runs({"stop", run});
        QVERIFY2(stop.exitCode == 0, qPrintable(stop.err));
        CliRun attach = runCli(QStringList{"attach", run} << clientArgs());
        QVERIFY2(attach.exitCode == 0, qPrintable(attach.err));
        QVERIFY2(runs({"list", "--name", "waiting"}).out.contains("stopped"),
                 qPrintable(runs({"list"}).out));
        // Cancelled while it waited: a job stopped after it started would complete.
        CliRun show = runs({"show", run});
        QVERIFY2(show.out.contains(QRegularExpression("job +\\d+ CANCELLED\n")),
                 qPrintable(show.out));
        SlurmCluster::command("scancel", {blocker});
    }

    void mistakesGetOneLine_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("error");
        QTest::newRow("strata's own option")
            << QStringList{"start",         "@config",         "--target",
                           "slurm://login", "--sbatch-option", "--output=/tmp/x"}
            << "--sbatch-option: --output is set by Strata for every run's job";
        QTest::newRow("not an option")
            << QStringList{"start",         "@config",         "--target",
                           "slurm://login", "--sbatch-option", "partition=gpu"}
            << "--sbatch-option: \"partition=gpu\" is not an sbatch option";
        QTest::newRow("nodes without slurm")
            << QStringList{"start", "@config", "--target", "ssh://gpu", "--nodes", "2"}
            << "--nodes is for one slurm:// target";
        QTest::newRow("slurm among hosts")
            << QStringList{"start", "@config", "--target", "slurm://login", "--target", "ssh://gpu"}
            << "slurm://login: a Slurm target runs the whole run; ask it for nodes instead";
    }
    void mistakesGetOneLine() {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        args.replaceInStrings("@config", m_config);
        CliRun run = runCli(QStringList{"runs"} << args << "-w" << m_desktop.path());
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.lastErrorLine().contains(error), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestCliSlurm)
#include "tst_cli_slurm.moc"
