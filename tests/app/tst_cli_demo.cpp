// `strata-cli demo data` (what `make run` runs) end to end into a temporary workspace: the
// funnel, the tokenizer and the shards must all be there and consistent.
#include "cli_runner.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QJsonObject readJson(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

}  // namespace

class TestCliDemo : public QObject {
    Q_OBJECT

private slots:
    void samplePipelineProducesEveryArtifact() {
        QTemporaryDir workspace;
        CliRun run = runCli({"demo", "data", "--workspace", workspace.path(), "-j", "2"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err.right(3000)));
        QVERIFY2(run.lastErrorLine().startsWith("sample data pipeline done"),
                 qPrintable(run.lastErrorLine()));
        QVERIFY(run.err.contains("bytes per token"));

        QJsonObject funnel = readJson(workspace.path() + "/datasets/sample/funnel.json");
        QVERIFY2(!funnel.isEmpty(), "funnel.json missing or not JSON");
        QJsonObject tokenizer = readJson(workspace.path() + "/tokenizers/sample/tokenizer.json");
        QCOMPARE(tokenizer["model"].toObject()["type"].toString(), QString("BPE"));
        QCOMPARE(tokenizer["model"].toObject()["vocab"].toObject().size(), 8192);
        QJsonObject manifest = readJson(workspace.path() + "/datasets/sample/shards/manifest.json");
        QJsonObject report = manifest["report"].toObject();
        QVERIFY(report["train"].toObject()["tokens"].toInteger() > 1000000);
        QVERIFY(report["validation"].toObject()["documents"].toInt() > 0);
        // Both languages of the sample survive cleaning and reach the tokenizer.
        QVERIFY(QFile::exists(workspace.path() + "/datasets/sample/clean.jsonl.zst"));
        CliRun encode = runCli({"tokenizer", "encode", "--tokenizer",
                                workspace.path() + "/tokenizers/sample/tokenizer.json",
                                QString::fromUtf8("作者")});
        QCOMPARE(encode.exitCode, 0);
        QCOMPARE(encode.out.trimmed().split(' ').size(), 1);
    }

    void unknownPipelineIsAnError() {
        CliRun run = runCli({"demo", "everything"});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(
            run.lastErrorLine(),
            QString("strata-cli demo: error: unknown pipeline 'everything' (available: data)"));
    }
};

QTEST_APPLESS_MAIN(TestCliDemo)
#include "tst_cli_demo.moc"
