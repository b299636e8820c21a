// strata-cli clean as a user runs it: the binary in a child process, checking exit codes, the
// one-line error on stderr for each kind of bad input, that a failed run writes no output, and
// that markup and terminal escapes inside JSONL documents are cleaned and reported.
#include "cli_runner.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

CliRun runClean(const QStringList& args) {
    return runCli(QStringList{"clean"} + args);
}

// Text that passes every default filter: 60 distinct words.
QString goodText(int seed) {
    QStringList words;
    for (int i = 0; i < 60; ++i)
        words << QString("word%1 alpha%2").arg(seed * 100 + i).arg(i % 7);
    return "Sentence about " + words.join(' ') + ".";
}

QByteArray jsonLine(const QString& text) {
    return QJsonDocument(QJsonObject{{"text", text}}).toJson(QJsonDocument::Compact) + "\n";
}

QByteArray goodLine(int seed) {
    return jsonLine(goodText(seed));
}

}  // namespace

class TestCliClean : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.path() + "/" + name; }

    // Checks a failed run: exit 1, the error as the last stderr line (progress lines may come
    // before it) with the prefix and `fragment`, no output.
    void expectError(const QStringList& args, const QString& fragment) {
        CliRun run = runClean(args);
        QCOMPARE(run.exitCode, 1);
        QString line = run.err.trimmed().split('\n').last();
        QVERIFY2(line.startsWith("strata-cli clean: error: ") && line.contains(fragment),
                 qPrintable(line));
        QVERIFY(!QFile::exists(path("out.jsonl")));
        QCOMPARE(QDir(m_dir.path()).entryList({"*.tmp-*"}, QDir::Files).size(), 0);
    }

private slots:
    void initTestCase() {
        QByteArray lines;
        for (int i = 0; i < 20; ++i)
            lines += goodLine(i);
        QVERIFY(writeFile(path("good.jsonl"), lines + goodLine(3) /* exact duplicate */));
        QVERIFY(writeFile(path("malformed.jsonl"), goodLine(1) + "{\"text\": broken\n"));
        QVERIFY(writeFile(path("nofield.jsonl"), "{\"body\": \"x\"}\n"));
        QVERIFY(writeFile(path("bad.toml"), "[words]\nmin = 5\nmni = 3\n"));
        QVERIFY(writeFile(path("badtype.toml"), "[entropy]\nmin_bits = \"high\"\n"));
        QVERIFY(writeFile(path("empty.jsonl"), ""));
    }

    void printsDefaultConfig() {
        CliRun run = runClean({"--print-default-config"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("[near_dedup]") && run.out.contains("threshold = 0.8"));
        QVERIFY(writeFile(path("default.toml"), run.out.toUtf8()));
    }

    void textFieldIsTakenLiterally() {
        // A field name with quotes must reach the reader as written, not as broken TOML.
        QByteArray lines;
        for (int i = 0; i < 3; ++i) {
            QJsonObject document = QJsonDocument::fromJson(goodLine(i)).object();
            lines += QJsonDocument(QJsonObject{{"the \"body\"", document["text"]}})
                         .toJson(QJsonDocument::Compact) +
                     "\n";
        }
        QVERIFY(writeFile(path("quoted.jsonl"), lines));
        CliRun run = runClean({path("quoted.jsonl"), "-o", path("quoted-out.jsonl"), "--text-field",
                               "the \"body\"", "--quiet"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QFile out(path("quoted-out.jsonl"));
        QVERIFY(out.open(QIODevice::ReadOnly));
        QCOMPARE(out.readAll().count('\n'), 3);
    }

    void cleansWithReportAndRejected() {
        CliRun run = runClean({path("good.jsonl"), "-o", path("ok.jsonl.zst"), "--config",
                               path("default.toml"), "--report", path("funnel.json"), "--rejected",
                               path("rejected.jsonl"), "-j", "2", "--set",
                               "near_dedup.enabled=false", "--quiet"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QFile report(path("funnel.json"));
        QVERIFY(report.open(QIODevice::ReadOnly));
        QJsonObject funnel = QJsonDocument::fromJson(report.readAll()).object();
        QCOMPARE(funnel["input"].toObject()["documents"].toInt(), 21);
        QCOMPARE(funnel["output"].toObject()["documents"].toInt(), 20);
        QFile rejected(path("rejected.jsonl"));
        QVERIFY(rejected.open(QIODevice::ReadOnly));
        QVERIFY(rejected.readAll().contains("\"reason\":\"exact_dedup.duplicate\""));
        QVERIFY(QFile::exists(path("ok.jsonl.zst")));
    }

    void cleansMarkupAndEscapesInsideJsonl() {
        // A raw web page and a terminal capture, as web and log corpora carry them in JSONL.
        QByteArray lines =
            jsonLine("<!DOCTYPE html><html><head><style>p { color: red }</style></head><body><p>" +
                     goodText(1) + "</p><script>evilPayload()</script></body></html>") +
            jsonLine("\x1b[1;36m \u2502\x1b[;m " + goodText(2) +
                     " CUPS at \x1b[0;36mhttp://hostname:631\x1b[;m");
        QVERIFY(writeFile(path("web.jsonl"), lines));
        CliRun run = runClean(
            {path("web.jsonl"), "-o", path("web-out.jsonl"), "--report", path("web-funnel.json")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.err.contains("html: 0 .html/.htm pages and 1 documents detected as markup") &&
                     run.err.contains("terminal_escapes: 4 sequences removed from 1 documents"),
                 qPrintable(run.err));
        QFile out(path("web-out.jsonl"));
        QVERIFY(out.open(QIODevice::ReadOnly));
        QByteArray cleaned = out.readAll();
        for (const char* leftover : {"evilPayload", "<style", "<p>", "\\u001b", "[1;36m", "[;m"})
            QVERIFY2(!cleaned.contains(leftover), leftover);
        QVERIFY2(cleaned.contains("CUPS at <URL>\"}"), cleaned.constData());
        QFile report(path("web-funnel.json"));
        QVERIFY(report.open(QIODevice::ReadOnly));
        QJsonObject funnel = QJsonDocument::fromJson(report.readAll()).object();
        QCOMPARE(funnel["html"].toObject()["detected"].toInt(), 1);
        QCOMPARE(funnel["terminal_escapes"].toObject()["documents"].toInt(), 1);
        QCOMPARE(funnel["masked"].toObject()["urls"].toInt(), 1);

        // Detection off: the page is kept as it is, tags and script included.
        run = runClean({path("web.jsonl"), "-o", path("web-raw.jsonl"), "--set",
                        "html.detect=false", "--set", "gopher_quality.enabled=false", "--quiet"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QFile raw(path("web-raw.jsonl"));
        QVERIFY(raw.open(QIODevice::ReadOnly));
        QVERIFY(raw.readAll().contains("evilPayload()"));
    }

    void summaryGoesToStderr() {
        CliRun run = runClean({path("good.jsonl"), "-o", path("summary.jsonl")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.contains("out: 20 documents"), qPrintable(run.err));
    }

    void malformedLineIsWarnedAndSkipped() {
        CliRun run =
            runClean({path("malformed.jsonl"), "-o", path("skip.jsonl"), "--set", "words.min=1"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.contains("strata-cli clean: warning: ") &&
                     run.err.contains("malformed.jsonl:2: malformed JSON"),
                 qPrintable(run.err));
    }

    void errors_data() {
        // Half of a real .zst written by cleansWithReportAndRejected().
        QFile whole(path("ok.jsonl.zst"));
        QVERIFY(whole.open(QIODevice::ReadOnly));
        QByteArray bytes = whole.readAll();
        QVERIFY(writeFile(path("trunc.jsonl.zst"), bytes.left(bytes.size() / 2)));

        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("fragment");
        QString out = path("out.jsonl");
        QTest::newRow("strict malformed")
            << QStringList{path("malformed.jsonl"), "-o", out, "--strict"}
            << "malformed.jsonl:2: malformed JSON";
        QTest::newRow("strict missing field")
            << QStringList{path("nofield.jsonl"), "-o", out, "--strict"}
            << "nofield.jsonl:1: no string field 'text'";
        QTest::newRow("no documents")
            << QStringList{path("nofield.jsonl"), "-o", out} << "no documents in";
        QTest::newRow("empty input")
            << QStringList{path("empty.jsonl"), "-o", out} << "no documents in";
        QTest::newRow("truncated zstd") << QStringList{path("trunc.jsonl.zst"), "-o", out}
                                        << "trunc.jsonl.zst: truncated zstd stream";
        QTest::newRow("missing input")
            << QStringList{path("nope.jsonl"), "-o", out} << "nope.jsonl: no such file or folder";
        QTest::newRow("unwritable output")
            << QStringList{path("good.jsonl"), "-o", path("no/dir/x.jsonl")}
            << "no/dir/x.jsonl: cannot write";
        QTest::newRow("unknown key")
            << QStringList{path("good.jsonl"), "-o", out, "--config", path("bad.toml")}
            << "bad.toml:3: key 'words.mni' is not a known setting";
        QTest::newRow("wrong type")
            << QStringList{path("good.jsonl"), "-o", out, "--config", path("badtype.toml")}
            << "badtype.toml:2: key 'entropy.min_bits' must be a number";
        QTest::newRow("unknown --set key")
            << QStringList{path("good.jsonl"), "-o", out, "--set", "words.mim=3"} << "words.mim";
        QTest::newRow("missing blocklist") << QStringList{path("good.jsonl"), "-o", out, "--set",
                                                          "blocklist.path=" + path("bl.txt")}
                                           << "bl.txt: cannot read blocklist";
        QTest::newRow("bad output name") << QStringList{path("good.jsonl"), "-o", path("out.txt")}
                                         << "must end in .jsonl or .jsonl.zst";
        QTest::newRow("no output") << QStringList{path("good.jsonl")} << "no output given";
    }

    void errors() {
        QFETCH(QStringList, args);
        QFETCH(QString, fragment);
        expectError(args, fragment);
    }
};

QTEST_GUILESS_MAIN(TestCliClean)
#include "tst_cli_clean.moc"
