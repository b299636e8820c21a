// `strata-cli datasets record|list`: a shard folder and the tokenizer its manifest names enter the
// workspace's run history with their fingerprints (paths inside the workspace kept relative),
// recording twice keeps one row, and a folder without a manifest is refused naming the file. On
// a workspace of another host (a real sshd on 127.0.0.1), the host's folder is recorded in the
// host's history, and a folder outside that workspace is refused.
#include "cli_runner.h"
#include "core/data/token_shard.h"
#include "core/store/run_history.h"
#include "tests/core/proto/ssh_server.h"
#include "tests/tiny_data.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace strata;
namespace fs = std::filesystem;

class TestCliDatasets : public QObject {
    Q_OBJECT

private slots:
    void recordsTheShardsAndTheirTokenizer() {
        QTemporaryDir workspace;
        fs::path root = workspace.path().toStdString();
        tiny::writeData(root / "datasets" / "tiny");
        QString shards = QString::fromStdString((root / "datasets" / "tiny" / "shards").string());
        for (int time = 0; time < 2; ++time) {
            CliRun run = runCli({"datasets", "record", shards, "--workspace", workspace.path()});
            QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        }
        store::RunHistory history(root / "strata.db");
        std::vector<store::DatasetRecord> datasets = history.datasets();
        QCOMPARE(datasets.size(), size_t(1));
        QCOMPARE(datasets[0].path, std::string("datasets/tiny/shards"));
        QCOMPARE(datasets[0].fingerprint,
                 data::shardSetFingerprint(root / "datasets" / "tiny" / "shards"));
        QVERIFY(datasets[0].statsJson.find("\"train\"") != std::string::npos);
        std::vector<store::DatasetRecord> tokenizers = history.tokenizers();
        QCOMPARE(tokenizers.size(), size_t(1));
        QCOMPARE(tokenizers[0].path, std::string("datasets/tiny/tokenizer.json"));
        QCOMPARE(tokenizers[0].statsJson,
                 std::string("{\"vocab_size\":") + std::to_string(tiny::kVocabSize) + "}");

        CliRun list = runCli({"datasets", "list", "--workspace", workspace.path()});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains("datasets/tiny/shards"));
        QVERIFY(list.out.contains("datasets/tiny/tokenizer.json"));
    }

    void recordsOnTheHostOfARemoteWorkspace() {
        SshServer ssh;
        QVERIFY2(ssh.started(), qPrintable(ssh.log()));
        QTemporaryDir workspace;
        fs::path root = workspace.path().toStdString();
        tiny::writeData(root / "datasets" / "tiny");
        const proto::WorkerTarget target = ssh.target(STRATA_CLI, root.string());
        QStringList remote{
            "-w",           QString("ssh://127.0.0.1:%1%2").arg(ssh.port()).arg(workspace.path()),
            "--identity",   QString::fromStdString(target.identityFile),
            "--remote-cli", STRATA_CLI};
        for (const std::string& option : target.sshOptions)
            remote << "--ssh-option" << QString::fromStdString(option);

        CliRun record = runCli(QStringList{"datasets", "record", "datasets/tiny/shards"} << remote);
        QVERIFY2(record.exitCode == 0, qPrintable(record.err));
        QVERIFY2(record.err.contains("recorded datasets/tiny/shards and its tokenizer "
                                     "datasets/tiny/tokenizer.json in ssh://127.0.0.1:"),
                 qPrintable(record.err));
        store::RunHistory history(root / "strata.db");
        QCOMPARE(history.datasets().size(), size_t(1));
        QCOMPARE(history.datasets()[0].fingerprint,
                 data::shardSetFingerprint(root / "datasets" / "tiny" / "shards"));
        CliRun list = runCli(QStringList{"datasets", "list"} << remote);
        QVERIFY2(list.exitCode == 0, qPrintable(list.err));
        QVERIFY(list.out.contains("datasets/tiny/shards"));
        QVERIFY(list.out.contains("datasets/tiny/tokenizer.json"));

        CliRun outside = runCli(QStringList{"datasets", "record", "/tmp"} << remote);
        QCOMPARE(outside.exitCode, 1);
        QVERIFY2(outside.lastErrorLine().contains("/tmp is outside the workspace"),
                 qPrintable(outside.err));
    }

    void aFolderWithoutAManifestIsRefused() {
        QTemporaryDir workspace;
        CliRun run =
            runCli({"datasets", "record", workspace.path(), "--workspace", workspace.path()});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.lastErrorLine().contains(workspace.path() + "/manifest.json: cannot read"),
                 qPrintable(run.lastErrorLine()));
    }
};

QTEST_GUILESS_MAIN(TestCliDatasets)
#include "tst_cli_datasets.moc"
