// Token labels and the token view: whole UTF-8 shows as text, a piece of a character as its bytes
// in hex; the view shows one span per token with its id.
#include "widgets/token_view.h"

#include <QtTest>

using namespace strata::widgets;

class TestTokenView : public QObject {
    Q_OBJECT

private slots:
    void labels() {
        QCOMPARE(tokenLabel(" cat"), QString(" cat"));
        QCOMPARE(tokenLabel(QByteArray("猫")), QString("猫"));
        QCOMPARE(tokenLabel(QByteArray("\xE7\x8C")), QString("‹E7 8C›"));
    }

    void oneSpanPerToken() {
        TokenView view;
        view.setTokens({{"the", 10}, {" cat", 42}, {"\xE7", 231}});
        QCOMPARE(view.tokenCount(), 3);
        QString html = view.toHtml();
        QVERIFY(html.contains("href=\"token:42\""));
        QVERIFY(view.toPlainText().contains("the·cat"));
        QVERIFY(view.toPlainText().contains("‹E7›"));
    }
};

QTEST_MAIN(TestTokenView)
#include "tst_token_view.moc"
