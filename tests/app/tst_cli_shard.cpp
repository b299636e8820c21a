// strata-cli shard as a user runs it: a tokenizer trained by the CLI, shards written, and a
// one-line error and no output for each kind of bad input.
#include "cli_runner.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

class TestCliShard : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.path() + "/" + name; }

    void expectError(const QStringList& args, const QString& fragment) {
        CliRun run = runCli(QStringList{"shard"} + args);
        QCOMPARE(run.exitCode, 1);
        QString line = run.lastErrorLine();
        QVERIFY2(line.startsWith("strata-cli shard: error: ") && line.contains(fragment),
                 qPrintable(line));
        QVERIFY2(!run.err.trimmed().contains('\n'), qPrintable(run.err));
        QVERIFY(!QFile::exists(path("out")));
        QCOMPARE(QDir(m_dir.path()).entryList({"*.tmp-*"}, QDir::AllEntries).size(), 0);
    }

private slots:
    void initTestCase() {
        QByteArray corpus;
        for (int i = 0; i < 400; ++i)
            corpus +=
                QJsonDocument(
                    QJsonObject{{"text", QString("Document %1 says hello to the world, %2 times.")
                                             .arg(i)
                                             .arg(i % 13)}})
                    .toJson(QJsonDocument::Compact) +
                "\n";
        QVERIFY(writeFile(path("corpus.jsonl"), corpus));
        CliRun train = runCli({"tokenizer", "train", path("corpus.jsonl"), "-o",
                               path("tokenizer.json"), "--vocab-size", "400"});
        QVERIFY2(train.exitCode == 0, qPrintable(train.err));
        CliRun noEos =
            runCli({"tokenizer", "train", path("corpus.jsonl"), "-o", path("no-eos.json"),
                    "--vocab-size", "300", "--special-tokens", "<|pad|>"});
        QVERIFY2(noEos.exitCode == 0, qPrintable(noEos.err));
    }

    void writesShardsAndManifest() {
        CliRun run = runCli({"shard", path("corpus.jsonl"), "--tokenizer", path("tokenizer.json"),
                             "-o", path("shards"), "--set", "shard.validation_fraction=0.1"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.err.contains("bytes per token"));
        QFile manifestFile(path("shards/manifest.json"));
        QVERIFY(manifestFile.open(QIODevice::ReadOnly));
        QJsonObject manifest = QJsonDocument::fromJson(manifestFile.readAll()).object();
        QJsonObject report = manifest["report"].toObject();
        QCOMPARE(report["train"].toObject()["documents"].toInt() +
                     report["validation"].toObject()["documents"].toInt(),
                 400);
        QVERIFY(report["validation"].toObject()["documents"].toInt() > 10);
        // The small corpus runs out of pairs before 400: the manifest has the real size.
        int vocabSize = manifest["tokenizer"].toObject()["vocab_size"].toInt();
        QVERIFY2(vocabSize > 256 && vocabSize <= 400, qPrintable(QString::number(vocabSize)));
        for (const QJsonValue& file : report["train"].toObject()["files"].toArray())
            QVERIFY(QFile::exists(path("shards/" + file.toString())));
    }

    void missingTokenizerOption() {
        expectError({path("corpus.jsonl"), "-o", path("out")}, "--tokenizer is required");
    }

    void tokenizerWithoutEos() {
        expectError({path("corpus.jsonl"), "--tokenizer", path("no-eos.json"), "-o", path("out")},
                    path("no-eos.json") + ": the tokenizer has no <|eos|> token");
    }

    void corruptTokenizer() {
        QFile good(path("tokenizer.json"));
        QVERIFY(good.open(QIODevice::ReadOnly));
        QVERIFY(writeFile(path("broken.json"), good.readAll().left(500)));
        expectError({path("corpus.jsonl"), "--tokenizer", path("broken.json"), "-o", path("out")},
                    path("broken.json"));
    }

    void badConfigValue() {
        expectError({path("corpus.jsonl"), "--tokenizer", path("tokenizer.json"), "-o", path("out"),
                     "--set", "shard.validation_fraction=2"},
                    "--set key 'shard.validation_fraction' must be in [0, 1)");
        expectError({path("corpus.jsonl"), "--tokenizer", path("tokenizer.json"), "-o", path("out"),
                     "--set", "shard.bogus=1"},
                    "--set key 'shard.bogus' is not a known setting");
    }

    void emptyInput() {
        QVERIFY(writeFile(path("empty.jsonl"), ""));
        expectError({path("empty.jsonl"), "--tokenizer", path("tokenizer.json"), "-o", path("out")},
                    "no documents");
    }

    void unwritableOutput() {
        CliRun run = runCli({"shard", path("corpus.jsonl"), "--tokenizer", path("tokenizer.json"),
                             "-o", "/proc/strata-out"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.lastErrorLine().contains("/proc/strata-out"), qPrintable(run.lastErrorLine()));
    }
};

QTEST_APPLESS_MAIN(TestCliShard)
#include "tst_cli_shard.moc"
