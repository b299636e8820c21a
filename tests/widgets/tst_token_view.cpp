// Token labels and the token view: whole UTF-8 shows as text, a piece of a character as its bytes
// in hex; the view shows one span per token, in alternating colours or shaded by its heat.
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
        QVERIFY(html.contains("href=\"token:2\""));
        QVERIFY(!html.contains("href=\"token:3\""));
        QVERIFY(view.toPlainText().contains("the·cat"));
        QVERIFY(view.toPlainText().contains("‹E7›"));
    }

    void heatShadesEachToken() {
        TokenView view;
        view.setTokens({{"4", 1, 0.0, "KL 0"}, {"2", 2, 1.0, "KL 0.5"}});
        QString html = view.toHtml().toLower();
        QVERIFY(html.contains(TokenView::heatColor(0.0).name()));
        QVERIFY(html.contains(TokenView::heatColor(1.0).name()));
        QVERIFY(TokenView::heatColor(0.0) != TokenView::heatColor(1.0));
        // Out-of-range heats are clamped to the scale's ends.
        QCOMPARE(TokenView::heatColor(7.0), TokenView::heatColor(1.0));
    }
};

QTEST_MAIN(TestTokenView)
#include "tst_token_view.moc"
