// DocumentCleaner's editing stages on one document: markup inside a .txt or JSONL document is
// converted like an HTML file (and prose that mentions a tag is not), terminal escape sequences
// go before masking so a URL right after one is masked, and each edit is reported for the funnel.
#include "core/cleaning/document_cleaner.h"

#include <QtTest>

using namespace strata::cleaning;

namespace {

// Only the editing stages: the filters would remove these short documents.
CleanConfig editingOnly() {
    CleanConfig config;
    config.words.enabled = config.entropy.enabled = config.gopherQuality.enabled = false;
    config.repetition.enabled = false;
    return config;
}

CleanedDocument cleaned(std::string text, const CleanConfig& config = editingOnly(),
                        DocumentFormat format = DocumentFormat::Text) {
    DocumentCleaner cleaner(config);
    DocumentCleaner::Scratch scratch;
    Document document;
    document.text = std::move(text);
    document.format = format;
    CleanedDocument out;
    cleaner.clean(document, scratch, out);
    return out;
}

constexpr const char* kPage =
    "<html><head><style>p { color: red }</style></head><body><p>Visible text.</p>"
    "<script>evilPayload()</script></body></html>";

}  // namespace

class TestDocumentCleaner : public QObject {
    Q_OBJECT

private slots:
    void convertsMarkupInsideATextDocument() {
        CleanedDocument out = cleaned(kPage);
        QCOMPARE(out.text, std::string("Visible text."));
        QCOMPARE(out.html, HtmlConversion::Detected);
        QCOMPARE(out.reason, RejectReason::Kept);
    }

    void convertsHtmlFilesWithoutDetection() {
        CleanConfig config = editingOnly();
        config.html.detect = false;
        CleanedDocument out = cleaned("<p>one</p>", config, DocumentFormat::Html);
        QCOMPARE(out.text, std::string("one"));
        QCOMPARE(out.html, HtmlConversion::File);
    }

    void leavesProseThatMentionsTagsAlone() {
        std::string prose = "Wrap it in <b> and a < b > c holds; see <admin@example.org>.";
        CleanedDocument out = cleaned(prose);
        QCOMPARE(out.html, HtmlConversion::None);
        QCOMPARE(out.text, std::string("Wrap it in <b> and a < b > c holds; see <<EMAIL>>."));
    }

    void detectionAndTheStageCanBeTurnedOff() {
        CleanConfig config = editingOnly();
        config.html.detect = false;
        QCOMPARE(cleaned(kPage, config).html, HtmlConversion::None);
        QVERIFY(cleaned(kPage, config).text.find("evilPayload") != std::string::npos);
        config.html.detect = true;
        config.html.enabled = false;
        QCOMPARE(cleaned(kPage, config).html, HtmlConversion::None);
        QCOMPARE(cleaned(kPage, config, DocumentFormat::Html).html, HtmlConversion::None);
    }

    void removesEscapesBeforeMaskingAndNormalizing() {
        CleanedDocument out =
            cleaned("\x1b[1;36m  \xe2\x94\x82\x1b[;m CUPS at \x1b[0;36mhttp://hostname:631\x1b[;m");
        QCOMPARE(out.text, std::string("\xe2\x94\x82 CUPS at <URL>"));
        QCOMPARE(out.escapesRemoved, size_t(4));
        QCOMPARE(out.masks.urls, uint64_t(1));
    }

    void escapeRemovalCanBeTurnedOff() {
        CleanConfig config = editingOnly();
        config.terminalEscapes.enabled = false;
        CleanedDocument out = cleaned("\x1b[32mgreen\x1b[m", config);
        QCOMPARE(out.escapesRemoved, size_t(0));
        // The normalizer drops only the ESC character: the parameters are left as text.
        QCOMPARE(out.text, std::string("[32mgreen[m"));
    }

    void bracketsWithoutEscapeStay() {
        CleanedDocument out = cleaned("As shown in [1] and a[0], not [0;36m escapes.");
        QCOMPARE(out.text, std::string("As shown in [1] and a[0], not [0;36m escapes."));
        QCOMPARE(out.escapesRemoved, size_t(0));
    }

    void editsAreResetBetweenDocuments() {
        DocumentCleaner cleaner(editingOnly());
        DocumentCleaner::Scratch scratch;
        CleanedDocument out;
        Document document;
        document.text = std::string(kPage) + "\x1b[m";
        cleaner.clean(document, scratch, out);
        QCOMPARE(out.html, HtmlConversion::Detected);
        QCOMPARE(out.escapesRemoved, size_t(1));
        document.text = "plain text";
        cleaner.clean(document, scratch, out);
        QCOMPARE(out.html, HtmlConversion::None);
        QCOMPARE(out.escapesRemoved, size_t(0));
    }
};

QTEST_APPLESS_MAIN(TestDocumentCleaner)
#include "tst_document_cleaner.moc"
