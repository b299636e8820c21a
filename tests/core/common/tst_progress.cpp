// Progress for a parent: with STRATA_PROGRESS=lines a Progress writes progress lines on stderr
// that parseProgressLine reads back as reported; without it, the text a person reads; and no
// other line (that text, an error, a truncated line) passes for a progress line.
#include "core/common/progress.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>

#include <fcntl.h>
#include <unistd.h>

using namespace strata;

namespace {

// What `work` writes on stderr, line by line.
QStringList stderrOf(const std::function<void()>& work) {
    QTemporaryDir dir;
    const std::string path = dir.filePath("stderr").toStdString();
    std::fflush(stderr);
    int saved = ::dup(STDERR_FILENO);
    int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(file, STDERR_FILENO);
    ::close(file);
    work();
    std::fflush(stderr);
    ::dup2(saved, STDERR_FILENO);
    ::close(saved);
    std::ifstream in(path);
    QStringList lines;
    for (std::string line; std::getline(in, line);)
        lines << QString::fromStdString(line);
    return lines;
}

}  // namespace

class TestProgress : public QObject {
    Q_OBJECT

private slots:
    void linesRoundTrip() {
        common::ProgressReport report{"clean", 12000000, 48000000, "bytes", 1.25};
        std::string line = common::progressLine(report);
        QVERIFY(line.starts_with("progress {"));
        std::optional<common::ProgressReport> parsed = common::parseProgressLine(line);
        QVERIFY(parsed);
        QCOMPARE(parsed->label, report.label);
        QCOMPARE(parsed->done, report.done);
        QCOMPARE(parsed->total, report.total);
        QCOMPARE(parsed->unit, report.unit);
        QCOMPARE(parsed->seconds, report.seconds);
        QCOMPARE(parsed->percent().value_or(-1), 25.0);
        QCOMPARE(common::progressText(*parsed),
                 std::string("clean: 12.0 MB / 48.0 MB (25%) in 1.2 s"));

        common::ProgressReport unknown{"merging", 7, 0, "tokens", 0.5};
        std::optional<common::ProgressReport> open =
            common::parseProgressLine(common::progressLine(unknown));
        QVERIFY(open && !open->percent());
        QCOMPARE(common::progressText(*open), std::string("merging: 7 tokens in 0.5 s"));
    }

    void otherLinesAreNotProgress_data() {
        QTest::addColumn<QString>("line");
        QTest::newRow("the text") << "clean: 12.0 MB / 48.0 MB (25%) in 1.2 s";
        QTest::newRow("an error") << "strata-cli clean: error: progress {\"done\": 1}";
        QTest::newRow("empty") << "";
        QTest::newRow("the word") << "progress";
        QTest::newRow("cut short") << R"(progress {"label":"x","done":1,"total":2,"unit":"items")";
        QTest::newRow("a field missing") << R"(progress {"label":"x","done":1,"total":2})";
        QTest::newRow("a negative count")
            << R"(progress {"label":"x","done":-1,"total":2,"unit":"items","seconds":0})";
        QTest::newRow("a count as text")
            << R"(progress {"label":"x","done":"1","total":2,"unit":"items","seconds":0})";
    }
    void otherLinesAreNotProgress() {
        QFETCH(QString, line);
        QVERIFY(!common::parseProgressLine(line.toStdString()));
    }

    void aChildAskedForLinesWritesThem() {
        ::setenv(common::kProgressEnvironment, common::kProgressLines, 1);
        QStringList lines = stderrOf([] {
            common::Progress progress("score", 10, "pairs");
            progress.advance(4);
            progress.finish();
        });
        ::unsetenv(common::kProgressEnvironment);
        QCOMPARE(lines.size(), 1);  // advance() reports no sooner than its interval
        std::optional<common::ProgressReport> report =
            common::parseProgressLine(lines[0].toStdString());
        QVERIFY2(report, qPrintable(lines[0]));
        QCOMPARE(report->label, std::string("score"));
        QCOMPARE(report->done, uint64_t(4));
        QCOMPARE(report->total, uint64_t(10));
        QCOMPARE(report->unit, std::string("pairs"));
    }

    void otherwiseItWritesTheText() {
        QStringList lines = stderrOf([] { common::Progress("score", 10, "pairs").advance(4); });
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines[0].startsWith("score: 4 pairs / 10 pairs (40%) in "), qPrintable(lines[0]));
    }
};

QTEST_GUILESS_MAIN(TestProgress)
#include "tst_progress.moc"
