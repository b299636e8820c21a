// cleanCorpus end to end: the same output for -j 1 and -j 4, a funnel whose counts add up and
// match the planted duplicates and junk, markup and terminal escapes inside JSONL cleaned and
// counted, the --rejected side file, .zst output, and atomic failure (strict input errors,
// unwritable output, no documents) leaving no file behind.
#include "core/cleaning/cleaning_pipeline.h"
#include "core/cleaning/document_reader.h"
#include "core/common/error.h"
#include "core/common/jsonl_writer.h"
#include "tests/core/cleaning/clean_test_text.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace strata::cleaning;
using strata::cleaning::test::prose;
using strata::cleaning::test::readFile;
using strata::cleaning::test::writeFile;

namespace {

std::string jsonLine(const std::string& text) {
    return QJsonDocument(QJsonObject{{"text", QString::fromStdString(text)}})
        .toJson(QJsonDocument::Compact)
        .toStdString();
}

std::string errorOf(const CleanConfig& config, const CleanRunOptions& options) {
    try {
        cleanCorpus(config, options);
    } catch (const strata::common::Error& error) {
        return error.what();
    }
    return {};
}

}  // namespace

class TestCleaningPipeline : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::vector<std::filesystem::path> m_inputs;
    // What the corpus plants.
    int m_good = 0;
    int m_exactCopies = 0;
    int m_nearCopies = 0;
    int m_short = 0;

    std::filesystem::path path(const QString& name) {
        return (m_dir.path() + "/" + name).toStdString();
    }

    CleanRunOptions runOptions(const QString& output, int threads) {
        CleanRunOptions options;
        options.inputs = m_inputs;
        options.output = path(output);
        options.numThreads = threads;
        options.progress = false;
        options.onWarning = [](const std::string&) {};
        return options;
    }

private slots:
    void initTestCase() {
        std::mt19937 rng(2024);
        std::vector<std::string> originals;
        std::string a, b;
        for (int i = 0; i < 600; ++i) {
            std::string text;
            int kind = i < 20 ? 0 : int(rng() % 10);
            if (kind <= 5) {
                text = prose(rng, 80 + int(rng() % 300));
                originals.push_back(text);
                ++m_good;
            } else if (kind == 6) {
                text = originals[rng() % originals.size()];
                ++m_exactCopies;
            } else if (kind == 7) {
                // White-space and full-width variants normalize to the same text: exact copies too.
                text = "  " + originals[rng() % originals.size()] + " \r\n";
                ++m_exactCopies;
            } else if (kind == 8) {
                text = originals[rng() % originals.size()];
                text.insert(text.find(' '), " inserted" + std::to_string(m_nearCopies));
                ++m_nearCopies;
            } else {
                text = "too short to keep";
                ++m_short;
            }
            (i % 2 ? b : a) += jsonLine(text) + "\n";
        }
        a += "this line is not json\n";
        writeFile(m_dir.path() + "/a.jsonl", a);
        {
            strata::common::JsonlWriter writer(path("b.jsonl.zst"));
            for (size_t start = 0; start < b.size();) {
                size_t end = b.find('\n', start);
                writer.writeLine(std::string_view(b).substr(start, end - start));
                start = end + 1;
            }
            writer.commit();
        }
        std::mt19937 htmlRng(7);
        writeFile(m_dir.path() + "/c.html",
                  "<html><head><script>alert('x')</script></head><body><p>" + prose(htmlRng, 120) +
                      "</p><p>Contact admin@example.org &amp; more.</p></body></html>");
        m_inputs = {path("a.jsonl"), path("b.jsonl.zst"), path("c.html")};
    }

    void sameOutputForAnyThreadCount() {
        CleanConfig config;
        CleanFunnel one = cleanCorpus(config, runOptions("one.jsonl", 1));
        CleanFunnel four = cleanCorpus(config, runOptions("four.jsonl", 4));
        std::string first = readFile(m_dir.path() + "/one.jsonl");
        QVERIFY(!first.empty());
        QCOMPARE(readFile(m_dir.path() + "/four.jsonl"), first);
        one.seconds = four.seconds = 0;
        QCOMPARE(four.toJson(), one.toJson());
    }

    void funnelAddsUpAndMatchesThePlantedCorpus() {
        CleanFunnel funnel = cleanCorpus(CleanConfig{}, runOptions("funnel.jsonl", 3));
        QCOMPARE(funnel.documentsIn, uint64_t(601));
        QCOMPARE(funnel.documentsIn, funnel.removedTotal() + funnel.documentsOut);
        QCOMPARE(funnel.reader.malformedLines, uint64_t(1));
        QCOMPARE(funnel.reader.files, uint64_t(3));
        QCOMPARE(funnel.removedDocuments[size_t(RejectReason::TooFewWords)], uint64_t(m_short));
        QCOMPARE(funnel.removedDocuments[size_t(RejectReason::ExactDuplicate)],
                 uint64_t(m_exactCopies));
        QCOMPARE(funnel.removedDocuments[size_t(RejectReason::NearDuplicate)],
                 uint64_t(m_nearCopies));
        QCOMPARE(funnel.documentsOut, uint64_t(m_good + 1));  // + the HTML page
        QCOMPARE(funnel.masks.emails, uint64_t(1));
        QCOMPARE(funnel.htmlFiles, uint64_t(1));
        QCOMPARE(funnel.htmlDetected, uint64_t(0));

        QJsonObject json =
            QJsonDocument::fromJson(QByteArray::fromStdString(funnel.toJson())).object();
        QCOMPARE(json["output"].toObject()["documents"].toInteger(), qint64(funnel.documentsOut));
        QCOMPARE(json["reader_skipped"].toObject()["malformed_lines"].toInteger(), qint64(1));
        QVERIFY(QString::fromStdString(funnel.summary()).contains("near_dedup.duplicate"));

        // The HTML page lost its script and kept its text, masked.
        std::string output = readFile(m_dir.path() + "/funnel.jsonl");
        QVERIFY(output.find("alert") == std::string::npos);
        QVERIFY(output.find("Contact <EMAIL> & more.") != std::string::npos);
    }

    void markupAndEscapesInJsonlAreCleanedAndCounted() {
        std::mt19937 rng(11);
        std::string page =
            "<!DOCTYPE html><html><head><style>p { color: red }</style>"
            "<script>evilPayload()</script></head><body><p>" +
            prose(rng, 100) + "</p></body></html>";
        std::string coloured = "\x1b[1;36m" + prose(rng, 100) +
                               "\x1b[;m Printers at \x1b[0;36mhttp://hostname:631\x1b[;m.";
        std::string mentionsTags = prose(rng, 100) + " Bold is <b>, italic is <i>.";
        writeFile(m_dir.path() + "/web.jsonl", jsonLine(page) + "\n" + jsonLine(coloured) + "\n" +
                                                   jsonLine(mentionsTags) + "\n");
        CleanRunOptions options = runOptions("web-out.jsonl", 2);
        options.inputs = {path("web.jsonl")};
        CleanFunnel funnel = cleanCorpus(CleanConfig{}, options);
        QCOMPARE(funnel.documentsOut, uint64_t(3));
        QCOMPARE(funnel.htmlDetected, uint64_t(1));
        QCOMPARE(funnel.htmlFiles, uint64_t(0));
        QCOMPARE(funnel.escapeDocuments, uint64_t(1));
        QCOMPARE(funnel.escapeSequences, uint64_t(4));
        QCOMPARE(funnel.masks.urls, uint64_t(1));

        std::string output = readFile(m_dir.path() + "/web-out.jsonl");
        for (std::string_view leftover :
             {"evilPayload", "<script", "<style", "<p>", "\\u001b", "[1;36m", "[;m", "hostname"})
            QVERIFY2(output.find(leftover) == std::string::npos, leftover.data());
        QVERIFY(output.find("Printers at <URL>.") != std::string::npos);
        QVERIFY(output.find("Bold is <b>, italic is <i>.") != std::string::npos);

        QJsonObject json =
            QJsonDocument::fromJson(QByteArray::fromStdString(funnel.toJson())).object();
        QCOMPARE(json["html"].toObject()["detected"].toInteger(), qint64(1));
        QCOMPARE(json["terminal_escapes"].toObject()["sequences"].toInteger(), qint64(4));
        QVERIFY(QString::fromStdString(funnel.summary())
                    .contains("terminal_escapes: 4 sequences removed from 1 documents"));
    }

    void disabledStagesRemoveNothing() {
        CleanConfig config;
        config.words.enabled = config.entropy.enabled = config.gopherQuality.enabled = false;
        config.repetition.enabled = config.exactDedup.enabled = config.nearDedup.enabled = false;
        CleanFunnel funnel = cleanCorpus(config, runOptions("all.jsonl", 2));
        QCOMPARE(funnel.documentsOut, funnel.documentsIn);
    }

    void rejectedSideFileListsEveryRemoval() {
        CleanRunOptions options = runOptions("kept.jsonl", 2);
        options.rejected = path("rejected.jsonl");
        CleanFunnel funnel = cleanCorpus(CleanConfig{}, options);
        QList<QByteArray> lines =
            QByteArray::fromStdString(readFile(m_dir.path() + "/rejected.jsonl")).split('\n');
        lines.removeAll(QByteArray());
        QCOMPARE(uint64_t(lines.size()), funnel.removedTotal());
        QJsonObject first = QJsonDocument::fromJson(lines.first()).object();
        QVERIFY(first.contains("reason") && first.contains("source") && first.contains("line") &&
                first.contains("text"));
        int exact = 0;
        for (const QByteArray& line : lines) {
            QJsonObject object = QJsonDocument::fromJson(line).object();
            if (object["reason"].toString() == "exact_dedup.duplicate") {
                ++exact;
                QVERIFY(object["line"].toInteger() > 0);
            }
        }
        QCOMPARE(exact, m_exactCopies);
    }

    void zstdOutputReadsBack() {
        CleanFunnel funnel = cleanCorpus(CleanConfig{}, runOptions("out.jsonl.zst", 2));
        DocumentReader reader({path("out.jsonl.zst")}, ReaderOptions{});
        Document document;
        uint64_t count = 0;
        while (reader.next(document))
            ++count;
        QCOMPARE(count, funnel.documentsOut);
    }

    void strictFailureLeavesNoOutput() {
        CleanRunOptions options = runOptions("strict.jsonl", 2);
        options.strict = true;
        options.rejected = path("strict-rejected.jsonl");
        QString message = QString::fromStdString(errorOf(CleanConfig{}, options));
        QVERIFY2(message.contains("a.jsonl:") && message.contains("malformed JSON"),
                 qPrintable(message));
        QVERIFY(!QFile::exists(m_dir.path() + "/strict.jsonl"));
        QVERIFY(!QFile::exists(m_dir.path() + "/strict-rejected.jsonl"));
        QCOMPARE(QDir(m_dir.path()).entryList({"*.tmp-*"}, QDir::Files).size(), 0);
    }

    void unwritableOutputIsAnError() {
        CleanRunOptions options = runOptions("no/such/folder/out.jsonl", 1);
        QString message = QString::fromStdString(errorOf(CleanConfig{}, options));
        QVERIFY2(message.contains("no/such/folder/out.jsonl: cannot write"), qPrintable(message));
    }

    void missingBlocklistIsAnError() {
        CleanConfig config;
        config.blocklist.path = path("missing-blocklist.txt").string();
        QString message = QString::fromStdString(errorOf(config, runOptions("b.jsonl", 1)));
        QVERIFY2(message.contains("missing-blocklist.txt: cannot read blocklist"),
                 qPrintable(message));
        QVERIFY(!QFile::exists(m_dir.path() + "/b.jsonl"));
    }

    void noDocumentsIsAnError() {
        writeFile(m_dir.path() + "/empty.jsonl", "\n\nnot json\n");
        CleanRunOptions options = runOptions("empty-out.jsonl", 1);
        options.inputs = {path("empty.jsonl")};
        QString message = QString::fromStdString(errorOf(CleanConfig{}, options));
        QVERIFY2(message.startsWith("no documents in ") && message.contains("empty.jsonl") &&
                     message.contains("1 malformed lines"),
                 qPrintable(message));
        QVERIFY(!QFile::exists(m_dir.path() + "/empty-out.jsonl"));
    }

    void everythingFilteredStillWritesAnEmptyOutput() {
        CleanConfig config;
        config.words.minWords = 100000;
        config.words.maxWords = 100000;
        CleanFunnel funnel = cleanCorpus(config, runOptions("none.jsonl", 2));
        QCOMPARE(funnel.documentsOut, uint64_t(0));
        QVERIFY(QFile::exists(m_dir.path() + "/none.jsonl"));
        QCOMPARE(QFileInfo(m_dir.path() + "/none.jsonl").size(), qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestCleaningPipeline)
#include "tst_cleaning_pipeline.moc"
