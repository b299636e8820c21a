// looksLikeHtml: raw pages, script and style elements and tag-heavy fragments are markup; prose
// that mentions a tag or shows markup as an example, math, code and angle-bracketed addresses
// are not.
#include "core/cleaning/html_detection.h"

#include <QtTest>

using strata::cleaning::looksLikeHtml;

class TestHtmlDetection : public QObject {
    Q_OBJECT

private slots:
    void detectsMarkup_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("doctype") << "<!DOCTYPE html>\nHello";
        QTest::newRow("html element") << "<HTML lang=\"en\"><p>Hello</HTML>";
        QTest::newRow("head and body")
            << "<head><title>T</title></head> a long page of text follows here";
        QTest::newRow("body only") << "<body class=\"x\">text</body>";
        QTest::newRow("script") << "<script>evilPayload()</script> The prose of the page.";
        QTest::newRow("after white space and a byte-order mark")
            << "\xEF\xBB\xBF \n\t<!doctype html><title>T</title>";
        QTest::newRow("style") << "<style>p { color: red }</style>The text of the page.";
        QTest::newRow("tag-heavy fragment")
            << "<ul class=\"nav\"><li><a href=\"/\">Home</a></li><li><a href=\"/about\">About</a>"
               "</li></ul>";
        QTest::newRow("paragraphs") << "<p>Hello world, a short paragraph.</p><p>Another.</p>";
    }

    void detectsMarkup() {
        QFETCH(QString, text);
        QVERIFY(looksLikeHtml(text.toStdString()));
    }

    void leavesTextAlone_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("plain") << "Nothing to see here.";
        QTest::newRow("math") << "If a < b > c then a<b and b>c, so 2<3>1 holds.";
        QTest::newRow("prose mentioning tags")
            << "Use the <b> element for bold text; it is one of the oldest tags in HTML, older "
               "than CSS, and browsers still render it the way they did in 1995.";
        QTest::newRow("an opened and closed tag in prose")
            << "Write <b>bold</b> for bold. The rest of this paragraph explains why semantic "
               "elements such as strong are preferred by people who care about screen readers.";
        QTest::newRow("prose with a script element")
            << "Read this. <script>evilPayload()</script> More prose here.";
        QTest::newRow("documentation showing a page")
            << "The parser reads a page such as\n\n    <!DOCTYPE html>\n    <html><head></head>"
               "<body><p>Hi</p></body></html>\n\nand calls handle_starttag for each tag.";
        QTest::newRow("script mentioned, not closed")
            << "The <script> element runs code, which is why pages should be careful with it.";
        QTest::newRow("code") << "std::vector<int> v; std::map<std::string, int> m; List<T> t;";
        QTest::newRow("addresses") << "Mail <admin@example.org> or see <https://example.org>.";
        QTest::newRow("hearts") << "I <3 this <- and -> that";
        QTest::newRow("placeholders") << "usage: cp <source> <dest>, then run <command> again";
        QTest::newRow("unknown elements")
            << "<my-widget><x-item>one</x-item><x-item>two</x-item></my-widget>";
        QTest::newRow("doctype of XML") << "<!DOCTYPE note SYSTEM \"Note.dtd\"><note/>";
        QTest::newRow("empty") << "";
    }

    void leavesTextAlone() {
        QFETCH(QString, text);
        QVERIFY(!looksLikeHtml(text.toStdString()));
    }
};

QTEST_APPLESS_MAIN(TestHtmlDetection)
#include "tst_html_detection.moc"
