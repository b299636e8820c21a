// ExactDeduplicator: first occurrence wins, the key is the whole text, and the 128-bit hash
// separates texts differing in one byte.
#include "core/cleaning/exact_dedup.h"

#include <QtTest>

#include <string>

using namespace strata::cleaning;

class TestExactDedup : public QObject {
    Q_OBJECT

private slots:
    void firstOccurrenceWins() {
        ExactDeduplicator dedup;
        QVERIFY(!dedup.isDuplicateElseInsert(hashText("alpha")));
        QVERIFY(!dedup.isDuplicateElseInsert(hashText("beta")));
        QVERIFY(dedup.isDuplicateElseInsert(hashText("alpha")));
        QVERIFY(!dedup.isDuplicateElseInsert(hashText("alpha ")));
        QVERIFY(!dedup.isDuplicateElseInsert(hashText("")));
        QVERIFY(dedup.isDuplicateElseInsert(hashText("")));
        QCOMPARE(dedup.size(), size_t(4));
    }

    void manyNearTextsStayDistinct() {
        ExactDeduplicator dedup;
        std::string text(1000, 'x');
        for (size_t i = 0; i < text.size(); ++i) {
            std::string variant = text;
            variant[i] = 'y';
            QVERIFY(!dedup.isDuplicateElseInsert(hashText(variant)));
        }
        QCOMPARE(dedup.size(), text.size());
    }
};

QTEST_APPLESS_MAIN(TestExactDedup)
#include "tst_exact_dedup.moc"
