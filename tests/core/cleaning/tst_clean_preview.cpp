// previewCleaning: a seeded sample from every input, each document with its before/after text
// and the rule that removed it, and the same sample for the same seed.
#include "core/cleaning/clean_preview.h"
#include "core/common/json_writer.h"
#include "tests/core/cleaning/clean_test_text.h"
#include "tests/error_of.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace strata::cleaning;
using strata::cleaning::test::prose;
using strata::cleaning::test::writeFile;

class TestCleanPreview : public QObject {
    Q_OBJECT

private slots:
    void init() {
        QVERIFY(m_dir.isValid());
        std::mt19937 rng(7);
        std::string lines;
        for (int i = 0; i < 200; ++i) {
            std::string text = i % 4 == 0 ? "too short to keep" : prose(rng, 80);
            lines += "{\"text\":";
            strata::common::appendJsonString(lines, text);
            lines += "}\n";
        }
        writeFile(m_dir.filePath("docs.jsonl"), lines);
        writeFile(m_dir.filePath("page.html"),
                  "<html><script>var x;</script><p>" + prose(rng, 90) + "</p></html>");
    }

    void samplesEveryInputAndNamesTheReason() {
        PreviewOptions options;
        options.documents = 20;
        std::vector<PreviewDocument> preview =
            previewCleaning(CleanConfig{}, {path("docs.jsonl"), path("page.html")}, options);
        // Ten places per input; the HTML file holds one document.
        QCOMPARE(preview.size(), size_t(11));
        int kept = 0, tooShort = 0;
        for (const PreviewDocument& document : preview) {
            if (document.source.ends_with("page.html")) {
                QCOMPARE(document.reason, RejectReason::Kept);
                QVERIFY(document.before.find("<script>") != std::string::npos);
                QVERIFY(document.after.find("var x") == std::string::npos);
                continue;
            }
            QVERIFY(document.line >= 1 && document.line <= 200);
            bool isShort = (document.line - 1) % 4 == 0;
            QCOMPARE(document.reason, isShort ? RejectReason::TooFewWords : RejectReason::Kept);
            (isShort ? tooShort : kept) += 1;
        }
        QVERIFY(kept > 0);
        QCOMPARE(kept + tooShort, 10);
    }

    void theSameSeedDrawsTheSameSample() {
        PreviewOptions options;
        options.documents = 8;
        auto lines = [&](uint64_t seed) {
            options.seed = seed;
            std::vector<uint64_t> drawn;
            for (const PreviewDocument& document :
                 previewCleaning(CleanConfig{}, {path("docs.jsonl")}, options))
                drawn.push_back(document.line);
            return drawn;
        };
        QCOMPARE(lines(3), lines(3));
        QVERIFY(lines(3) != lines(4));
    }

    void aMissingInputIsNamed() {
        QString message = errorOf([&] { previewCleaning(CleanConfig{}, {path("absent.jsonl")}); });
        QVERIFY2(message.contains("absent.jsonl"), qPrintable(message));
    }

private:
    std::filesystem::path path(const char* name) const {
        return m_dir.filePath(name).toStdString();
    }

    QTemporaryDir m_dir;
};

QTEST_APPLESS_MAIN(TestCleanPreview)
#include "tst_clean_preview.moc"
