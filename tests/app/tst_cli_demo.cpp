// `strata-cli demo data` and `demo pretrain` (what `make run` runs) end to end into a temporary
// workspace: the funnel, the tokenizer and the shards must all be there and consistent, the
// cleaned text free of terminal escapes, and a (shortened) sample pretraining run must leave its
// run folder and report its perplexity; the dataset, tokenizer and run are in the workspace's run
// history.
#include "cli_runner.h"
#include "core/cleaning/document_reader.h"
#include "core/store/run_history.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
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
        // fortunes-zh is coloured throughout: the cleaning removes its escapes, whole. What stays
        // is text that quotes one (printf "\x1b[31m", the caret form ^[[32m).
        QVERIFY(funnel["terminal_escapes"].toObject()["sequences"].toInteger() > 1000);
        QRegularExpression leftoverEscape("\x1b|(?<!\\^\\[|x1b)\\[[0-9;]+m");
        QVERIFY(leftoverEscape.isValid());
        strata::cleaning::DocumentReader cleaned(
            {(workspace.path() + "/datasets/sample/clean.jsonl.zst").toStdString()}, {});
        strata::cleaning::Document document;
        uint64_t documents = 0;
        while (cleaned.next(document)) {
            QString text = QString::fromStdString(document.text);
            QVERIFY2(!leftoverEscape.match(text).hasMatch(), qPrintable(text));
            ++documents;
        }
        QCOMPARE(documents, uint64_t(funnel["output"].toObject()["documents"].toInteger()));
        // What the studio's Data page opens: the sources of the sample dataset.
        QFile sources(workspace.path() + "/datasets/sample/sources.txt");
        QVERIFY(sources.open(QIODevice::ReadOnly));
        QVERIFY(sources.readAll().contains("fortunes.jsonl"));
        CliRun encode = runCli({"tokenizer", "encode", "--tokenizer",
                                workspace.path() + "/tokenizers/sample/tokenizer.json",
                                QString::fromUtf8("作者")});
        QCOMPARE(encode.exitCode, 0);
        QCOMPARE(encode.out.trimmed().split(' ').size(), 1);

        // The dataset and tokenizer are in the workspace's run history.
        {
            strata::store::RunHistory runs((workspace.path() + "/strata.db").toStdString());
            std::vector<strata::store::DatasetRecord> datasets = runs.datasets();
            QCOMPARE(datasets.size(), size_t(1));
            QCOMPARE(datasets[0].path, std::string("datasets/sample/shards"));
            QCOMPARE(datasets[0].fingerprint.size(), size_t(16));
            QVERIFY(datasets[0].statsJson.find("\"train\"") != std::string::npos);
            QCOMPARE(runs.tokenizers().size(), size_t(1));
            QVERIFY(runs.tokenizers()[0].statsJson.find("8192") != std::string::npos);
        }

        CliRun pretrain = runCli({"demo", "pretrain", "--workspace", workspace.path(), "--set",
                                  "train.max_steps=4", "--set", "train.eval_every=2", "--set",
                                  "train.eval_batches=1", "--set", "train.micro_batch_size=4"});
        QVERIFY2(pretrain.exitCode == 0, qPrintable(pretrain.err.right(3000)));
        QRegularExpression summary("^validation perplexity: ([0-9.]+) -> ([0-9.]+)$");
        QRegularExpressionMatch match = summary.match(pretrain.lastErrorLine());
        QVERIFY2(match.hasMatch(), qPrintable(pretrain.lastErrorLine()));
        QVERIFY(match.captured(2).toDouble() < match.captured(1).toDouble());
        QVERIFY(pretrain.err.contains("$ strata-cli generate --checkpoint"));
        QVERIFY(QFile::exists(workspace.path() + "/configs/pretrain.toml"));
        QStringList runFolders =
            QDir(workspace.path() + "/runs").entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(runFolders.size(), 1);
        QString runDir = workspace.path() + "/runs/" + runFolders[0];
        QVERIFY(QFile::exists(runDir + "/run.toml"));
        QVERIFY(QFile::exists(runDir + "/events.jsonl"));
        QVERIFY(QFile::exists(runDir + "/checkpoints/step-0000004/model.safetensors"));
        // It ran through a worker into the run history.
        strata::store::RunHistory history((workspace.path() + "/strata.db").toStdString());
        std::vector<strata::store::RunRecord> recorded = history.listRuns();
        QCOMPARE(recorded.size(), size_t(1));
        QCOMPARE(recorded[0].name, runFolders[0].toStdString());
        QCOMPARE(recorded[0].state, strata::store::RunState::Completed);
        QCOMPARE(recorded[0].lastStep, 4);
    }

    void unknownPipelineIsAnError() {
        CliRun run = runCli({"demo", "everything"});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.lastErrorLine(),
                 QString("strata-cli demo: error: unknown pipeline 'everything' (available: init, "
                         "data, pretrain, align)"));
    }
};

QTEST_APPLESS_MAIN(TestCliDemo)
#include "tst_cli_demo.moc"
