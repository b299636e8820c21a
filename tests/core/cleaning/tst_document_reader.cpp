// DocumentReader: every input kind, folders, and each kind of bad input — skipped and counted
// with a file:line warning, or fatal with strict — with memory bounded by the document limit.
#include "core/cleaning/document_reader.h"
#include "core/common/error.h"
#include "core/common/jsonl_writer.h"
#include "core/common/utf8.h"
#include "tests/core/cleaning/clean_test_text.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace strata::cleaning;
using strata::cleaning::test::writeFile;

namespace {

struct ReadAll {
    std::vector<Document> documents;
    ReaderStats stats;
    std::vector<std::string> warnings;
};

ReadAll readAll(std::vector<std::filesystem::path> inputs, ReaderOptions options = {}) {
    ReadAll result;
    options.onWarning = [&](const std::string& line) { result.warnings.push_back(line); };
    DocumentReader reader(std::move(inputs), options);
    Document document;
    while (reader.next(document))
        result.documents.push_back(document);
    result.stats = reader.stats();
    return result;
}

std::string errorOf(std::vector<std::filesystem::path> inputs, ReaderOptions options = {}) {
    try {
        readAll(std::move(inputs), std::move(options));
    } catch (const strata::common::Error& error) {
        return error.what();
    }
    return {};
}

}  // namespace

class TestDocumentReader : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::filesystem::path path(const char* name) {
        return (m_dir.path() + "/" + name).toStdString();
    }

private slots:
    void textPiecesStreamFilesOfAnySize() {
        // Short lines, then one 2.5 MB line of multi-byte characters with no line break.
        std::string content = "\xEF\xBB\xBF";
        for (int i = 0; i < 60000; ++i)
            content += "line " + std::to_string(i) + " of text\n";
        for (int i = 0; i < 500000; ++i)
            content += i % 3 ? "ab" : "\xE6\x97\xA5";
        writeFile(QString::fromStdString(path("big.txt")), content);
        ReaderOptions options;
        options.textPieceBytes = 1 << 20;
        options.maxDocumentBytes = 1 << 20;  // pieces are not documents: no size limit applies
        auto result = readAll({path("big.txt")}, options);
        QVERIFY(result.documents.size() >= 3);
        std::string joined;
        for (const Document& piece : result.documents) {
            QVERIFY(piece.text.size() <= options.textPieceBytes);
            QCOMPARE(strata::common::findInvalidUtf8(piece.text), std::string::npos);
            joined += piece.text;
        }
        QCOMPARE(joined, content.substr(3));              // the byte-order mark is dropped
        QCOMPARE(result.documents[0].text.back(), '\n');  // cut after a line break
        QCOMPARE(result.stats.oversized, uint64_t(0));
        QCOMPARE(result.stats.invalidUtf8, uint64_t(0));
    }

    void readsJsonlLines() {
        writeFile(QString::fromStdString(path("a.jsonl")),
                  "{\"text\": \"first\"}\n\n{\"id\": 2, \"text\": \"second \\u00e9\"}\r\n"
                  "{\"text\": \"last, no newline\"}");
        auto result = readAll({path("a.jsonl")});
        QCOMPARE(result.documents.size(), size_t(3));
        QCOMPARE(result.documents[0].text, std::string("first"));
        QCOMPARE(result.documents[1].text, std::string("second \xC3\xA9"));
        QCOMPARE(result.documents[1].line, uint64_t(3));
        QCOMPARE(result.documents[2].text, std::string("last, no newline"));
        QCOMPARE(result.documents[2].line, uint64_t(4));
        QCOMPARE(result.documents[0].source, path("a.jsonl").string());
        QCOMPARE(result.stats.documents, uint64_t(3));
        QVERIFY(result.warnings.empty());
    }

    void textFieldIsConfigurable() {
        writeFile(QString::fromStdString(path("field.jsonl")),
                  "{\"content\": \"x\", \"text\": \"y\"}\n");
        ReaderOptions options;
        options.textField = "content";
        auto result = readAll({path("field.jsonl")}, options);
        QCOMPARE(result.documents.at(0).text, std::string("x"));
    }

    void readsZstdJsonl() {
        {
            strata::common::JsonlWriter writer(path("c.jsonl.zst"));
            for (int i = 0; i < 5000; ++i)
                writer.writeLine(fmt::format("{{\"text\": \"doc {}\"}}", i));
            writer.commit();
        }
        auto result = readAll({path("c.jsonl.zst")});
        QCOMPARE(result.documents.size(), size_t(5000));
        QCOMPARE(result.documents[4999].text, std::string("doc 4999"));
        QCOMPARE(result.documents[4999].line, uint64_t(5000));
    }

    void truncatedZstdIsAnError() {
        {
            strata::common::JsonlWriter writer(path("t.jsonl.zst"));
            std::mt19937 rng(1);
            for (int i = 0; i < 200; ++i)
                writer.writeLine(
                    fmt::format("{{\"text\": \"{}\"}}", strata::cleaning::test::prose(rng, 40)));
            writer.commit();
        }
        std::filesystem::resize_file(path("t.jsonl.zst"),
                                     std::filesystem::file_size(path("t.jsonl.zst")) / 2);
        QString message = QString::fromStdString(errorOf({path("t.jsonl.zst")}));
        QVERIFY2(message.contains("t.jsonl.zst: truncated zstd stream"), qPrintable(message));
    }

    void corruptZstdIsAnError() {
        writeFile(QString::fromStdString(path("bad.jsonl.zst")), "this is not zstd at all");
        QString message = QString::fromStdString(errorOf({path("bad.jsonl.zst")}));
        QVERIFY2(message.contains("bad.jsonl.zst: corrupt zstd stream"), qPrintable(message));
    }

    void malformedLinesAreSkippedAndCounted() {
        writeFile(QString::fromStdString(path("m.jsonl")),
                  "{\"text\": \"ok\"}\nnot json\n{\"text\": \"unterminated\"\n[1, 2]\n"
                  "{\"title\": \"no text\"}\n{\"text\": 5}\n{\"text\": \"ok again\"}\n");
        auto result = readAll({path("m.jsonl")});
        QCOMPARE(result.documents.size(), size_t(2));
        QCOMPARE(result.documents[1].line, uint64_t(7));
        QCOMPARE(result.stats.malformedLines, uint64_t(3));
        QCOMPARE(result.stats.missingField, uint64_t(2));
        QCOMPARE(result.warnings.size(), size_t(5));
        QVERIFY2(QString::fromStdString(result.warnings[0]).contains("m.jsonl:2: malformed JSON"),
                 result.warnings[0].c_str());
        QVERIFY(
            QString::fromStdString(result.warnings[2]).contains("m.jsonl:4: not a JSON object"));
        QVERIFY(QString::fromStdString(result.warnings[3])
                    .contains("m.jsonl:5: no string field 'text'"));
    }

    void strictMakesMalformedFatal() {
        writeFile(QString::fromStdString(path("s.jsonl")), "{\"text\": \"ok\"}\n{broken\n");
        ReaderOptions options;
        options.strict = true;
        QString message = QString::fromStdString(errorOf({path("s.jsonl")}, options));
        QVERIFY2(message.contains("s.jsonl:2: malformed JSON"), qPrintable(message));
    }

    void warningsAreCapped() {
        std::string lines;
        for (int i = 0; i < 100; ++i)
            lines += "nope\n";
        writeFile(QString::fromStdString(path("many.jsonl")), lines);
        ReaderOptions options;
        options.maxWarnings = 5;
        auto result = readAll({path("many.jsonl")}, options);
        QCOMPARE(result.stats.malformedLines, uint64_t(100));
        QCOMPARE(result.warnings.size(), size_t(5));
        QVERIFY(QString::fromStdString(result.warnings.back()).contains("only counted"));
    }

    void invalidUtf8IsReplacedAndCounted() {
        writeFile(QString::fromStdString(path("u.jsonl")), "{\"text\": \"caf\xE9 ok\"}\n");
        writeFile(QString::fromStdString(path("u.txt")), "bad \xFF\xFE byte");
        auto result = readAll({path("u.jsonl"), path("u.txt")});
        QCOMPARE(result.documents.size(), size_t(2));
        QCOMPARE(result.documents[0].text, std::string("caf\xEF\xBF\xBD ok"));
        QCOMPARE(result.documents[1].text, std::string("bad \xEF\xBF\xBD\xEF\xBF\xBD byte"));
        QCOMPARE(result.stats.invalidUtf8, uint64_t(2));
        QVERIFY(QString::fromStdString(result.warnings.at(0)).contains("u.jsonl:1: invalid UTF-8"));
    }

    void overlongLinesStreamPastAndAreCounted() {
        // A 3 MB line crosses several 1 MB read chunks; the limit of 1 MB skips it without
        // holding it, and the lines around it still arrive.
        std::string big = "{\"text\": \"" + std::string(3 << 20, 'x') + "\"}";
        writeFile(QString::fromStdString(path("long.jsonl")),
                  "{\"text\": \"before\"}\n" + big + "\n{\"text\": \"after\"}\n" + big);
        ReaderOptions options;
        options.maxDocumentBytes = 1 << 20;
        auto result = readAll({path("long.jsonl")}, options);
        QCOMPARE(result.documents.size(), size_t(2));
        QCOMPARE(result.documents[1].text, std::string("after"));
        QCOMPARE(result.documents[1].line, uint64_t(3));
        QCOMPARE(result.stats.oversized, uint64_t(2));
        QVERIFY(
            QString::fromStdString(result.warnings.at(0)).contains("long.jsonl:2: longer than"));
        QVERIFY(
            QString::fromStdString(result.warnings.at(1)).contains("long.jsonl:4: longer than"));

        // Under a larger limit the same line is read whole.
        options.maxDocumentBytes = 4 << 20;
        result = readAll({path("long.jsonl")}, options);
        QCOMPARE(result.documents.size(), size_t(4));
        QCOMPARE(result.documents[1].text.size(), size_t(3 << 20));
    }

    void overlongFileIsSkipped() {
        writeFile(QString::fromStdString(path("big.txt")), std::string(200000, 'y'));
        ReaderOptions options;
        options.maxDocumentBytes = 1000;
        auto result = readAll({path("big.txt")}, options);
        QVERIFY(result.documents.empty());
        QCOMPARE(result.stats.oversized, uint64_t(1));
        options.strict = true;
        QVERIFY(QString::fromStdString(errorOf({path("big.txt")}, options))
                    .contains("big.txt: longer than"));
    }

    void foldersAreSortedAndFiltered() {
        QDir(m_dir.path()).mkpath("tree/sub");
        writeFile(m_dir.path() + "/tree/b.txt", "\xEF\xBB\xBFplain b");
        writeFile(m_dir.path() + "/tree/a.html", "<p>page &amp; a</p>");
        writeFile(m_dir.path() + "/tree/sub/c.jsonl", "{\"text\": \"c\"}\n");
        writeFile(m_dir.path() + "/tree/notes.md", "ignored");
        writeFile(m_dir.path() + "/tree/.hidden.txt", "ignored");
        auto result = readAll({path("tree")});
        QCOMPARE(result.documents.size(), size_t(3));
        QCOMPARE(result.documents[0].format, DocumentFormat::Html);
        QCOMPARE(result.documents[0].text, std::string("<p>page &amp; a</p>"));
        QCOMPARE(result.documents[1].text, std::string("plain b"));  // byte-order mark dropped
        QCOMPARE(result.documents[1].line, uint64_t(0));
        QCOMPARE(result.documents[2].text, std::string("c"));
        QCOMPARE(result.stats.files, uint64_t(3));
    }

    void badPathsAreErrors() {
        QVERIFY(QString::fromStdString(errorOf({path("missing.jsonl")}))
                    .contains("missing.jsonl: no such file or folder"));
        writeFile(QString::fromStdString(path("x.csv")), "a,b");
        QVERIFY(QString::fromStdString(errorOf({path("x.csv")}))
                    .contains("x.csv: unsupported input type"));
    }

    void emptyInputHasNoDocuments() {
        writeFile(QString::fromStdString(path("empty.jsonl")), "");
        auto result = readAll({path("empty.jsonl")});
        QVERIFY(result.documents.empty());
        QCOMPARE(result.stats.files, uint64_t(1));
    }
};

QTEST_APPLESS_MAIN(TestDocumentReader)
#include "tst_document_reader.moc"
