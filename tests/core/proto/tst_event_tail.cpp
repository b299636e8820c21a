// Tailing an events.jsonl the way the worker does while a trainer appends: only complete lines,
// only seqs above the last one returned, and a torn line that a resume cuts and rewrites is
// never returned in its torn form.
#include "core/proto/event_tail.h"

#include <QtTest>

#include <fstream>

using namespace strata;
namespace fs = std::filesystem;

namespace {

std::string eventLine(int64_t seq, const std::string& type = "metrics") {
    return "{\"seq\":" + std::to_string(seq) + ",\"time\":0,\"rank\":0,\"type\":\"" + type +
           "\",\"data\":{}}";
}

void append(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::app) << text;
}

std::vector<int64_t> seqs(const std::vector<std::string>& lines) {
    std::vector<int64_t> out;
    for (const std::string& line : lines)
        out.push_back(proto::eventSeq(line));
    return out;
}

}  // namespace

class TestEventTail : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path path(const char* name) { return fs::path(m_tmp.filePath(name).toStdString()); }

private slots:
    void readsSeqPrefix() {
        QCOMPARE(proto::eventSeq(eventLine(42)), 42);
        QCOMPARE(proto::eventSeq("{\"time\":1}"), -1);
        QCOMPARE(proto::eventSeq("{\"seq\":x}"), -1);
    }

    void followsAppendsFromAnySeq() {
        fs::path file = path("follow.jsonl");
        proto::EventTail tail(file, 2);
        std::vector<std::string> lines;
        QCOMPARE(tail.poll(lines), size_t(0));  // no file yet
        append(file, eventLine(1) + "\n" + eventLine(2) + "\n" + eventLine(3) + "\n" +
                         eventLine(4).substr(0, 9));
        tail.poll(lines);
        QCOMPARE(seqs(lines), (std::vector<int64_t>{3}));
        append(file, eventLine(4).substr(9) + "\n" + eventLine(5) + "\n");
        lines.clear();
        tail.poll(lines);
        QCOMPARE(seqs(lines), (std::vector<int64_t>{4, 5}));
        QCOMPARE(tail.lastSeq(), 5);
        lines.clear();
        QCOMPARE(tail.poll(lines), size_t(0));
    }

    void tornLineRewrittenIsReadWhole() {
        fs::path file = path("torn.jsonl");
        append(file, eventLine(1) + "\n" + eventLine(2).substr(0, 12));
        proto::EventTail tail(file, 0);
        std::vector<std::string> lines;
        tail.poll(lines);
        QCOMPARE(seqs(lines), (std::vector<int64_t>{1}));
        // A resumed trainer cuts the torn line and writes its events from there.
        fs::resize_file(file, eventLine(1).size() + 1);
        append(file, eventLine(2, "run_started") + "\n");
        lines.clear();
        tail.poll(lines);
        QCOMPARE(lines, (std::vector<std::string>{eventLine(2, "run_started")}));
    }

    void pollsInBoundedPortions() {
        fs::path file = path("many.jsonl");
        std::string text;
        for (int seq = 1; seq <= 1000; ++seq)
            text += eventLine(seq) + "\n";
        append(file, text);
        proto::EventTail tail(file, 0);
        std::vector<std::string> lines;
        QCOMPARE(tail.poll(lines, 300), size_t(300));
        QCOMPARE(tail.poll(lines, 300), size_t(300));
        QCOMPARE(tail.poll(lines, 1000), size_t(400));
        QCOMPARE(lines.size(), size_t(1000));
        for (int i = 0; i < 1000; ++i)
            QCOMPARE(proto::eventSeq(lines[size_t(i)]), int64_t(i + 1));
    }
};

QTEST_APPLESS_MAIN(TestEventTail)
#include "tst_event_tail.moc"
