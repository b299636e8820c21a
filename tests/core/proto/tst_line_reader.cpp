// Lines through a real pipe: split at newlines whatever the read sizes, a last line without a
// newline delivered at the end, and a line over the cap reported with its size but never held.
#include "core/proto/line_reader.h"

#include <QtTest>

#include <unistd.h>

using namespace strata;

namespace {

std::vector<proto::Line> readAll(const std::string& input, size_t cap) {
    int fds[2];
    if (::pipe(fds) != 0) return {};
    std::thread writer([&] {
        // Written in uneven pieces, as a pipe may deliver them.
        for (size_t at = 0; at < input.size(); at += 7777)
            if (::write(fds[1], input.data() + at, std::min<size_t>(7777, input.size() - at)) < 0)
                break;
        ::close(fds[1]);
    });
    proto::LineReader reader(fds[0], cap);
    std::vector<proto::Line> lines;
    while (reader.readSome(lines)) {
    }
    writer.join();
    ::close(fds[0]);
    return lines;
}

}  // namespace

class TestLineReader : public QObject {
    Q_OBJECT

private slots:
    void splitsAtNewlines() {
        std::vector<proto::Line> lines = readAll("one\ntwo\n\nthree", 100);
        QCOMPARE(lines.size(), size_t(4));
        QCOMPARE(lines[0].text, std::string("one"));
        QCOMPARE(lines[1].text, std::string("two"));
        QCOMPARE(lines[2].text, std::string(""));
        QCOMPARE(lines[3].text, std::string("three"));
        for (const proto::Line& line : lines)
            QVERIFY(!line.oversized);
    }

    void longLinesAcrossReads() {
        std::string big(200000, 'x');
        std::vector<proto::Line> lines = readAll(big + "\nafter\n", 300000);
        QCOMPARE(lines.size(), size_t(2));
        QCOMPARE(lines[0].text, big);
        QCOMPARE(lines[1].text, std::string("after"));
    }

    void oversizedLineIsDroppedAndReported() {
        std::string big(100000, 'y');
        std::vector<proto::Line> lines = readAll("ok\n" + big + "\nnext\n", 1000);
        QCOMPARE(lines.size(), size_t(3));
        QCOMPARE(lines[0].text, std::string("ok"));
        QVERIFY(lines[1].oversized);
        QVERIFY(lines[1].text.empty());
        QCOMPARE(lines[1].size, big.size());
        QCOMPARE(lines[2].text, std::string("next"));
        QVERIFY(!lines[2].oversized);
    }
};

QTEST_APPLESS_MAIN(TestLineReader)
#include "tst_line_reader.moc"
