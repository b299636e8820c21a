// Word diffs for the pair view: equal texts have no change, a changed word is marked on both
// sides with the rest left alone, insertions and deletions are marked on their side only, and
// the HTML escapes markup and highlights only changed words.
#include "widgets/word_diff.h"

#include <QtTest>

using namespace strata::widgets;

namespace {

// The changed pieces of one side, joined with '|'.
QString changed(const QList<DiffSegment>& segments) {
    QStringList out;
    for (const DiffSegment& segment : segments)
        if (segment.changed) out << segment.text;
    return out.join('|');
}

QString whole(const QList<DiffSegment>& segments) {
    QString text;
    for (const DiffSegment& segment : segments)
        text += segment.text;
    return text;
}

}  // namespace

class TestWordDiff : public QObject {
    Q_OBJECT

private slots:
    void equalTextsHaveNoChange() {
        WordDiff diff = diffWords("the cat sat", "the cat sat");
        QCOMPARE(changed(diff.left), QString());
        QCOMPARE(changed(diff.right), QString());
        QCOMPARE(whole(diff.left), QString("the cat sat"));
    }

    void changedWordsAreMarkedOnBothSides() {
        WordDiff diff = diffWords("the cat sat on the mat", "the dog sat on the mat");
        QCOMPARE(changed(diff.left), QString("cat"));
        QCOMPARE(changed(diff.right), QString("dog"));
        QCOMPARE(whole(diff.right), QString("the dog sat on the mat"));
    }

    void insertionsAreMarkedOnTheirSide() {
        WordDiff diff = diffWords("Paris is big", "Paris is very big");
        QCOMPARE(changed(diff.left), QString());
        QCOMPARE(changed(diff.right), QString("very "));
    }

    void htmlEscapesAndHighlights() {
        WordDiff diff = diffWords("a <b> c", "a <i> c");
        QString html = diffHtml(diff.left);
        QVERIFY(html.contains("&lt;b&gt;"));
        QVERIFY(html.contains("background-color"));
        QVERIFY(!diffHtml(diffWords("same", "same").left).contains("background-color"));
    }

    void hugeTextsComeBackUnmarked() {
        QString big = QString("word ").repeated(3000);
        WordDiff diff = diffWords(big, big + "extra");
        QCOMPARE(diff.left.size(), 1);
        QVERIFY(!diff.left[0].changed);
    }
};

QTEST_MAIN(TestWordDiff)
#include "tst_word_diff.moc"
