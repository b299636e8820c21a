// removeTerminalEscapes: CSI, OSC and two-byte sequences go whole (what fortunes-zh is full of),
// sequences cut short end where a terminal would end them, and bracketed text without ESC stays.
#include "core/cleaning/terminal_escapes.h"

#include <QtTest>

using strata::cleaning::removeTerminalEscapes;

namespace {

std::string unescaped(std::string_view text, size_t* removed = nullptr) {
    std::string out = "stale";
    size_t count = removeTerminalEscapes(text, out);
    if (removed) *removed = count;
    return out;
}

}  // namespace

class TestTerminalEscapes : public QObject {
    Q_OBJECT

private slots:
    void removesColourSequences() {
        size_t removed = 0;
        // A line of fortunes-zh as the file has it.
        QCOMPARE(unescaped("\x1b[1;36m  \xe2\x94\x82\x1b[;m scp \x1b[0;33mfiles\x1b[;m", &removed),
                 std::string("  \xe2\x94\x82 scp files"));
        QCOMPARE(removed, size_t(4));
        QCOMPARE(unescaped("\x1b[mplain\x1b[0m", &removed), std::string("plain"));
        QCOMPARE(removed, size_t(2));
        // Cursor moves, private modes and intermediates are CSI too.
        QCOMPARE(unescaped("a\x1b[2J\x1b[?25lb\x1b[1 qc\x1b[10;20Hd"), std::string("abcd"));
    }

    void keepsTheUrlAfterASequenceApart() {
        QCOMPARE(unescaped("at \x1b[0;36mhttp://hostname:631\x1b[;m"),
                 std::string("at http://hostname:631"));
    }

    void removesStringSequences() {
        size_t removed = 0;
        // A window title ended by BEL, and a hyperlink whose parts end with ESC backslash.
        QCOMPARE(unescaped("\x1b]0;user@host: ~\x07$ ls", &removed), std::string("$ ls"));
        QCOMPARE(removed, size_t(1));
        QCOMPARE(
            unescaped("see \x1b]8;;http://example.com\x1b\\the docs\x1b]8;;\x1b\\ now", &removed),
            std::string("see the docs now"));
        QCOMPARE(removed, size_t(2));
        QCOMPARE(unescaped("\x1bPq#0;2;0;0;0\x1b\\ok"), std::string("ok"));
        // Unterminated: it ends at the line break, which stays.
        QCOMPARE(unescaped("\x1b]2;title\nnext line"), std::string("\nnext line"));
    }

    void removesTwoByteSequences() {
        QCOMPARE(unescaped("\x1b(Bx\x1b"
                           "7y\x1b"
                           "8z\x1b=\x1b>"),
                 std::string("xyz"));
        QCOMPARE(unescaped("\x1b\\"), std::string(""));
    }

    void endsASequenceCutShortWhereATerminalWould() {
        // fortunes-zh has "ESC [ ; ESC [ 34;1m m": the first sequence is cut short by the ESC
        // of the second, and the final 'm' after it is text on a terminal too.
        size_t removed = 0;
        QCOMPARE(unescaped("\xe2\x80\x9d\x1b[;\x1b[34;1mm\xe6\x9d\xa5", &removed),
                 std::string("\xe2\x80\x9dm\xe6\x9d\xa5"));
        QCOMPARE(removed, size_t(2));
        // A byte outside the grammar ends it and stays: a line break, a non-ASCII character.
        QCOMPARE(unescaped("a\x1b[12\nb"), std::string("a\nb"));
        QCOMPARE(unescaped("a\x1b[3\xc3\xa9"), std::string("a\xc3\xa9"));
        QCOMPARE(unescaped("cut at the end\x1b[1;3"), std::string("cut at the end"));
    }

    void leavesALoneEscapeToTheNormalizer() {
        size_t removed = 1;
        QCOMPARE(unescaped("end\x1b", &removed), std::string("end\x1b"));
        QCOMPARE(removed, size_t(0));
        QCOMPARE(unescaped("a\x1b\nb"), std::string("a\x1b\nb"));
    }

    void keepsBracketsWithoutEscape() {
        size_t removed = 1;
        std::string text =
            "cited [1], a[i][j], [0;36m as text, and \xc2\x9b"
            "31m (U+009B)";
        QCOMPARE(unescaped(text, &removed), text);
        QCOMPARE(removed, size_t(0));
        QCOMPARE(unescaped(""), std::string(""));
    }
};

QTEST_APPLESS_MAIN(TestTerminalEscapes)
#include "tst_terminal_escapes.moc"
