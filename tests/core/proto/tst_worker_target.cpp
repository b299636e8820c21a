// Targets: parsing "local", ssh:// and slurm:// forms (bad ones named, host names held to an
// allow-list), workspaces of other hosts (ssh://host/path, read back and written alike), the ssh
// command line (batch mode, port, identity, the remote command quoted for the remote shell).
#include "core/proto/worker_target.h"
#include "tests/error_of.h"

#include <QtTest>

using namespace strata;

class TestWorkerTarget : public QObject {
    Q_OBJECT

private slots:
    void parsesTargets() {
        QVERIFY(proto::parseTarget("local").isLocal());
        proto::WorkerTarget remote = proto::parseTarget("ssh://ana@gpu-7:2222");
        QCOMPARE(remote.host, std::string("ana@gpu-7"));
        QCOMPARE(remote.port, 2222);
        QCOMPARE(remote.name(), std::string("ssh://ana@gpu-7:2222"));
        QCOMPARE(proto::parseTarget("ssh://gpu").name(), std::string("ssh://gpu"));
        QVERIFY(!remote.slurm);
        // A Slurm cluster is reached at its login host, as any other.
        proto::WorkerTarget cluster = proto::parseTarget("slurm://ana@login-1:2200");
        QVERIFY(cluster.slurm);
        QCOMPARE(cluster.host, std::string("ana@login-1"));
        QCOMPARE(cluster.port, 2200);
        QCOMPARE(cluster.name(), std::string("slurm://ana@login-1:2200"));
        QVERIFY(!proto::parseTarget("ssh://gpu", cluster).slurm);
        QCOMPARE(proto::workerCommand(cluster).front(), std::string("ssh"));
    }

    // A workspace of another host: ssh://[user@]host[:port]/path, /~/path under the home folder.
    void remoteWorkspaces() {
        QVERIFY(proto::isRemoteWorkspace("ssh://lab/data/ws"));
        QVERIFY(!proto::isRemoteWorkspace("/data/ws"));
        proto::WorkerTarget target = proto::parseRemoteWorkspace("ssh://ana@lab:2222/data/ws");
        QCOMPARE(target.host, std::string("ana@lab"));
        QCOMPARE(target.port, 2222);
        QCOMPARE(target.workspace, std::string("/data/ws"));
        QCOMPARE(proto::remoteWorkspaceAddress(target), std::string("ssh://ana@lab:2222/data/ws"));
        target = proto::parseRemoteWorkspace("ssh://lab/~/team-ws");
        QCOMPARE(target.workspace, std::string("team-ws"));
        QCOMPARE(proto::remoteWorkspaceAddress(target), std::string("ssh://lab/~/team-ws"));
        for (const char* bad : {"ssh://lab", "ssh://lab/", "ssh://lab/~", "ssh:///data"}) {
            const QString error = errorOf([&] { proto::parseRemoteWorkspace(bad); });
            QVERIFY2(error.contains(bad), qPrintable(error));
        }
        QVERIFY(errorOf([&] {
                    proto::parseRemoteWorkspace("ssh://-oProxyCommand=x/ws");
                }).contains("is not a host name"));
    }

    void badTargetsAreNamed_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("scheme") << "gpu-7"
                                << "expected \"local\", ssh://";
        QTest::newRow("port") << "ssh://gpu:99999"
                              << "port must be a number from 1 to 65535";
        QTest::newRow("port text") << "ssh://gpu:ab"
                                   << "port must be a number";
        QTest::newRow("option") << "ssh://-oProxyCommand=x"
                                << "is not a host name";
        QTest::newRow("empty") << "ssh://"
                               << "is not a host name";
        QTest::newRow("slurm option") << "slurm://-oProxyCommand=x"
                                      << "is not a host name";
        // OpenSSH refuses these too; Strata says so before it runs ssh.
        QTest::newRow("command") << "ssh://a;id"
                                 << "is not a host name";
        QTest::newRow("substitution") << "ssh://$(id)"
                                      << "is not a host name";
        QTest::newRow("space") << "ssh://ana@gpu 7"
                               << "is not a host name";
        QTest::newRow("option user") << "ssh://-l@gpu"
                                     << "is not a host name";
    }
    void badTargetsAreNamed() {
        QFETCH(QString, text);
        QFETCH(QString, error);
        QString message = errorOf([&] { proto::parseTarget(text.toStdString()); });
        QVERIFY2(message.contains(error), qPrintable(message));
        QVERIFY2(message.contains(text), qPrintable(message));
    }

    void sshCommandLine() {
        proto::WorkerTarget target = proto::parseTarget("ssh://gpu:2200");
        target.identityFile = "/keys/id";
        target.cli = "/opt/strata/bin/strata-cli";
        target.workspace = "/data/it's mine";
        target.sshOptions = {"ConnectTimeout=5"};
        std::vector<std::string> argv = proto::workerCommand(target);
        QCOMPARE(argv.front(), std::string("ssh"));
        auto has = [&](const std::string& a, const std::string& b) {
            for (size_t i = 0; i + 1 < argv.size(); ++i)
                if (argv[i] == a && argv[i + 1] == b) return true;
            return false;
        };
        QVERIFY(has("-o", "BatchMode=yes"));
        // ssh keeps an option's first value: the user's timeout before the default one.
        auto at = [&](const std::string& option) {
            return std::find(argv.begin(), argv.end(), option) - argv.begin();
        };
        QVERIFY(at("ConnectTimeout=5") < at("ConnectTimeout=15"));
        QVERIFY(has("-o", "ServerAliveInterval=15"));
        QVERIFY(has("-p", "2200"));
        QVERIFY(has("-i", "/keys/id"));
        QVERIFY(has("--", "gpu"));
        QCOMPARE(argv.back(), std::string("'/opt/strata/bin/strata-cli' 'worker' '--stdio' "
                                          "'--workspace' '/data/it'\\''s mine'"));

        // A target built by hand is checked the same way.
        target.host = "gpu;id";
        QVERIFY(errorOf([&] { proto::workerCommand(target); }).contains("is not a host name"));

        proto::WorkerTarget local;
        local.cli = "/bin/strata-cli";
        local.workspace = "/ws";
        QCOMPARE(proto::workerCommand(local),
                 (std::vector<std::string>{"/bin/strata-cli", "worker", "--stdio", "--workspace",
                                           "/ws"}));
    }
};

QTEST_APPLESS_MAIN(TestWorkerTarget)
#include "tst_worker_target.moc"
