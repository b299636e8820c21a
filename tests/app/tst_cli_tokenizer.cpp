// strata-cli tokenizer as a user runs it: train, encode, decode and inspect through the binary,
// and a one-line error with a non-zero exit for each kind of bad input.
#include "cli_runner.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

class TestCliTokenizer : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.path() + "/" + name; }

    void expectError(const QStringList& args, const QString& fragment) {
        CliRun run = runCli(QStringList{"tokenizer"} + args);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.lastErrorLine().startsWith("strata-cli tokenizer: error: ") &&
                     run.lastErrorLine().contains(fragment),
                 qPrintable(run.lastErrorLine()));
    }

private slots:
    void initTestCase() {
        QByteArray corpus;
        for (int i = 0; i < 300; ++i)
            corpus +=
                QJsonDocument(
                    QJsonObject{
                        {"text", QString::fromUtf8(
                                     "Line %1: tokenizers split text into tokens, 分词器 %2 🎉")
                                     .arg(i)
                                     .arg(i % 9)}})
                    .toJson(QJsonDocument::Compact) +
                "\n";
        QVERIFY(writeFile(path("corpus.jsonl"), corpus));
        CliRun train = runCli({"tokenizer", "train", path("corpus.jsonl"), "-o", path("tok.json"),
                               "--vocab-size", "500"});
        QVERIFY2(train.exitCode == 0, qPrintable(train.err));
    }

    void encodeDecodeRoundTripByLines() {
        QByteArray text =
            QString::fromUtf8("tokenizers split text\n分词器 🎉 and <|eos|>\n\ncontrol \x01 char\n")
                .toUtf8();
        CliRun encode = runCli({"tokenizer", "encode", "--tokenizer", path("tok.json"), "--lines",
                                "--special", "none"},
                               text);
        QCOMPARE(encode.exitCode, 0);
        QCOMPARE(encode.out.count('\n'), 4);
        CliRun decode = runCli({"tokenizer", "decode", "--tokenizer", path("tok.json"), "--lines"},
                               encode.out.toUtf8());
        QCOMPARE(decode.exitCode, 0);
        QCOMPARE(decode.out.toUtf8(), text);
    }

    void specialTokensOnlyWhereAllowed() {
        CliRun allowed =
            runCli({"tokenizer", "encode", "--tokenizer", path("tok.json"), "<|eos|>"});
        QCOMPARE(allowed.out.trimmed().split(' ').size(), 1);
        CliRun plain = runCli({"tokenizer", "encode", "--tokenizer", path("tok.json"), "--special",
                               "none", "<|eos|>"});
        QVERIFY(plain.out.trimmed().split(' ').size() > 1);
    }

    void invalidUtf8IsReplaced() {
        CliRun encode =
            runCli({"tokenizer", "encode", "--tokenizer", path("tok.json")}, QByteArray("ab\xff"
                                                                                        "cd"));
        QCOMPARE(encode.exitCode, 0);
        CliRun decode =
            runCli({"tokenizer", "decode", "--tokenizer", path("tok.json")}, encode.out.toUtf8());
        QCOMPARE(decode.out.toUtf8(), QByteArray("ab\xEF\xBF\xBD"
                                                 "cd"));
    }

    void inspectShowsCompression() {
        CliRun run = runCli(
            {"tokenizer", "inspect", "--tokenizer", path("tok.json"), "tokenizers split text"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("bytes per token"), qPrintable(run.out));
    }

    void decodeRejectsBadIds() {
        expectError({"decode", "--tokenizer", path("tok.json"), "12", "x7"},
                    "'x7' is not a token id");
        expectError({"decode", "--tokenizer", path("tok.json"), "999999"}, "999999");
    }

    void corruptTokenizerIsNamed() {
        QVERIFY(writeFile(path("hand-edited.json"), "{\"model\": {\"type\": \"WordPiece\"}}"));
        expectError({"encode", "--tokenizer", path("hand-edited.json"), "x"},
                    path("hand-edited.json"));
        QVERIFY(writeFile(path("not-json.json"), "{\"model\": "));
        expectError({"encode", "--tokenizer", path("not-json.json"), "x"}, path("not-json.json"));
    }

    void trainErrors() {
        expectError({"train", path("corpus.jsonl"), "-o", path("x.json")},
                    "--vocab-size is required");
        expectError({"train", path("missing.jsonl"), "-o", path("x.json"), "--vocab-size", "300"},
                    path("missing.jsonl"));
        expectError(
            {"train", path("corpus.jsonl"), "-o", "/proc/strata/tok.json", "--vocab-size", "300"},
            "/proc/strata/tok.json");
        QVERIFY(!QFile::exists(path("x.json")));
    }

    void unknownSubcommand() { expectError({"tokenise"}, "unknown subcommand 'tokenise'"); }
};

QTEST_APPLESS_MAIN(TestCliTokenizer)
#include "tst_cli_tokenizer.moc"
