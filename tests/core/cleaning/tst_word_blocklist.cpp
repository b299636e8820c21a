// WordBlocklist: reading the file (comments, blank lines), case-insensitive whole-word matching
// with punctuation trimmed, the hit threshold, and the error for a missing file.
#include "core/cleaning/word_blocklist.h"
#include "core/common/error.h"
#include "tests/core/cleaning/clean_test_text.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace strata::cleaning;

class TestWordBlocklist : public QObject {
    Q_OBJECT

private slots:
    void readsFileAndMatchesWholeWords() {
        QTemporaryDir dir;
        QString path = dir.path() + "/block.txt";
        strata::cleaning::test::writeFile(
            path, "# blocked words\nBadword\n\n  spam  # trailing comment\n");
        WordBlocklist list = WordBlocklist::fromFile(path.toStdString());
        QCOMPARE(list.size(), size_t(2));
        QVERIFY(list.contains("badword"));
        QVERIFY(list.contains("\"SPAM!\""));
        QVERIFY(!list.contains("badwords"));

        std::string text = "This has a BADWORD, and spam. Also spammy words.";
        TextProfile profile;
        profile.build(text);
        QCOMPARE(list.countHits(profile, 100), uint64_t(2));
        QCOMPARE(list.check(profile, 1), RejectReason::Blocklist);
        QCOMPARE(list.check(profile, 2), RejectReason::Blocklist);
        QCOMPARE(list.check(profile, 3), RejectReason::Kept);
        QCOMPARE(WordBlocklist().check(profile, 1), RejectReason::Kept);
    }

    void missingFileIsAnErrorNamingIt() {
        try {
            WordBlocklist::fromFile("/nonexistent/blocklist.txt");
            QFAIL("expected an error");
        } catch (const strata::common::Error& error) {
            QCOMPARE(QString(error.what()),
                     QString("/nonexistent/blocklist.txt: cannot read blocklist: no such file"));
        }
    }
};

QTEST_APPLESS_MAIN(TestWordBlocklist)
#include "tst_word_blocklist.moc"
