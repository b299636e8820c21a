// UTF-8 validation against the standard's table of well-formed sequences.
#include "core/common/utf8.h"

#include <QtTest>

using namespace strata::common;

class TestUtf8 : public QObject {
    Q_OBJECT

private slots:
    void validSequences_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("ascii") << QByteArray("plain text");
        QTest::newRow("two-byte") << QByteArray("\xC3\xA9");
        QTest::newRow("three-byte") << QByteArray("\xE6\x97\xA5");
        QTest::newRow("four-byte") << QByteArray("\xF0\x9F\x8E\x89");
        QTest::newRow("max") << QByteArray("\xF4\x8F\xBF\xBF");
    }
    void validSequences() {
        QFETCH(QByteArray, bytes);
        QCOMPARE(findInvalidUtf8(bytes.toStdString()), std::string_view::npos);
    }

    void invalidSequences_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("offset");
        QTest::newRow("lone continuation") << QByteArray("ab\x80") << 2;
        QTest::newRow("overlong two-byte") << QByteArray("\xC0\xAF") << 0;
        QTest::newRow("overlong three-byte") << QByteArray("\xE0\x80\xAF") << 0;
        QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << 0;
        QTest::newRow("above max") << QByteArray("\xF4\x90\x80\x80") << 0;
        QTest::newRow("truncated") << QByteArray("abcdefghij\xE6\x97") << 10;
        QTest::newRow("ff") << QByteArray("\xFF") << 0;
    }
    void invalidSequences() {
        QFETCH(QByteArray, bytes);
        QFETCH(int, offset);
        QCOMPARE(findInvalidUtf8(bytes.toStdString()), size_t(offset));
    }

    void decodeAndEncodeRoundTrip() {
        for (char32_t cp : {U'A', U'\u00e9', U'\u65e5', U'\U0001F389', U'\U0010FFFF'}) {
            std::string text;
            appendUtf8(text, cp);
            size_t pos = 0;
            QCOMPARE(decodeUtf8(text, pos), cp);
            QCOMPARE(pos, text.size());
        }
    }

    void replacementRule() {
        QCOMPARE(replaceInvalidUtf8("a\xFF"
                                    "b"),
                 std::string("a\xEF\xBF\xBD"
                             "b"));
        QCOMPARE(replaceInvalidUtf8("\xE6\x97"), std::string("\xEF\xBF\xBD\xEF\xBF\xBD"));
    }
};

QTEST_APPLESS_MAIN(TestUtf8)
#include "tst_utf8.moc"
