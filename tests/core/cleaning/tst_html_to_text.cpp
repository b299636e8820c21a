// htmlToText: visible text only, block structure as paragraph breaks, entities decoded, and
// broken markup degrading to text rather than failing.
#include "core/cleaning/html_to_text.h"

#include <QtTest>

using strata::cleaning::htmlToText;

namespace {
std::string text(std::string_view html) {
    std::string out;
    htmlToText(html, out);
    return out;
}
}  // namespace

class TestHtmlToText : public QObject {
    Q_OBJECT

private slots:
    void dropsScriptStyleAndComments() {
        QCOMPARE(text("<html><head><style>p { color: red }</style><script>var x = '<p>';</script>"
                      "</head><body><!-- note --><p>Hello <b>bold</b> world</p>"
                      "<SCRIPT type=\"x\">evil()</SCRIPT><noscript>no</noscript></body></html>"),
                 std::string("Hello bold world"));
    }

    void keepsParagraphBreaks() {
        QCOMPARE(
            text(
                "<h1>Title</h1><p>One\n  two</p><p>Three<br>four</p><ul><li>a</li><li>b</li></ul>"),
            std::string("Title\n\nOne two\n\nThree\nfour\n\na\nb"));
        QCOMPARE(text("<div>x</div><div>y</div>"), std::string("x\n\ny"));
        QCOMPARE(text("<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>"),
                 std::string("1 2\n3"));
    }

    void decodesEntities() {
        QCOMPARE(
            text(
                "a &amp; b &lt;c&gt; &quot;d&quot; &#65;&#x42;&#X43; caf&eacute; &nbsp;x &hellip;"),
            std::string("a & b <c> \"d\" ABC caf\xC3\xA9 \xC2\xA0x \xE2\x80\xA6"));
        QCOMPARE(text("&unknown; &amp &#; &#xD800;"),
                 std::string("&unknown; &amp &#; \xEF\xBF\xBD"));
    }

    void preservesPreformattedLines() {
        QCOMPARE(text("<pre>line 1\nline  2</pre>"), std::string("line 1\nline  2"));
    }

    void toleratesBrokenMarkup() {
        QCOMPARE(text("a < b and c > d"), std::string("a < b and c > d"));
        QCOMPARE(text("<p title='a>b'>quoted</p>"), std::string("quoted"));
        QCOMPARE(text("text <script>never closed"), std::string("text"));
        QCOMPARE(text("<!DOCTYPE html><?xml x?>doc"), std::string("doc"));
        QCOMPARE(text(""), std::string(""));
    }
};

QTEST_APPLESS_MAIN(TestHtmlToText)
#include "tst_html_to_text.moc"
