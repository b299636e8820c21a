// The generation lines: what the writers write (as `strata-cli generate --json` and the worker
// do) parses back as written, and a line that is none of them is a one-line error quoting it.
#include "core/common/error.h"
#include "core/proto/generation_lines.h"

#include <QtTest>

using namespace strata;
using Kind = proto::GenerationLine::Kind;

namespace {

QString errorOf(const std::string& line) {
    try {
        proto::parseGenerationLine(line);
    } catch (const common::Error& error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}

}  // namespace

class TestGenerationLines : public QObject {
    Q_OBJECT

private slots:
    void linesAreTheDocumentedObjects() {
        QCOMPARE(proto::pieceLine(1, " upon"), std::string(R"({"prompt":1,"text":" upon"})"));
        QCOMPARE(proto::finishedLine(), std::string(R"({"finished":true})"));
        QCOMPARE(proto::errorLine("no such model folder"),
                 std::string(R"({"error":"no such model folder"})"));
        QVERIFY(proto::promptDoneLine(0, 64, 0.5).starts_with(R"({"prompt":0,"done":true,)"));
    }

    void piecesRoundTrip() {
        const std::string text = "a \"quoted\" line\nwith 中文 and a tab\t";
        proto::GenerationLine piece = proto::parseGenerationLine(proto::pieceLine(3, text));
        QCOMPARE(piece.kind, Kind::Piece);
        QCOMPARE(piece.piece.prompt, 3);
        QCOMPARE(piece.piece.text, text);
        QVERIFY(!piece.piece.done);

        proto::GenerationLine done = proto::parseGenerationLine(proto::promptDoneLine(2, 64, 0.41));
        QCOMPARE(done.kind, Kind::Piece);
        QCOMPARE(done.piece.prompt, 2);
        QVERIFY(done.piece.done);
        QVERIFY(done.piece.text.empty());
        QCOMPARE(done.piece.tokens, int64_t(64));
        QCOMPARE(done.piece.seconds, 0.41);

        QCOMPARE(proto::parseGenerationLine(proto::finishedLine()).kind, Kind::Finished);
        proto::GenerationLine error = proto::parseGenerationLine(
            proto::errorLine("the prompt has 300 tokens; the model's context is 256"));
        QCOMPARE(error.kind, Kind::Error);
        QCOMPARE(error.error, std::string("the prompt has 300 tokens; the model's context is 256"));
    }

    void malformedLinesAreOneLineErrors_data() {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("error");
        QTest::newRow("not json")
            << "loading weights..."
            << R"(not a generation line (a JSON object): "loading weights...")";
        QTest::newRow("an array") << "[1]"
                                  << "not a generation line (a JSON object)";
        QTest::newRow("no prompt") << R"({"text": "x"})"
                                   << R"(needs a "prompt" index)";
        QTest::newRow("negative prompt") << R"({"prompt": -1, "text": "x"})"
                                         << R"(needs a "prompt" index)";
        QTest::newRow("no text") << R"({"prompt": 0})"
                                 << R"(a piece needs a "text" string)";
        QTest::newRow("text a number") << R"({"prompt": 0, "text": 5})"
                                       << R"(a piece needs a "text" string)";
        QTest::newRow("done without counts")
            << R"({"prompt": 0, "done": true})"
            << R"(the end of a prompt needs "tokens" and "seconds" numbers)";
        QTest::newRow("done false") << R"({"prompt": 0, "done": false, "text": "x"})"
                                    << R"("done" must be true)";
        QTest::newRow("finished false") << R"({"finished": false})"
                                        << R"("finished" must be true)";
        QTest::newRow("error not text") << R"({"error": 3})"
                                        << R"("error" must be a string)";
    }
    void malformedLinesAreOneLineErrors() {
        QFETCH(QString, line);
        QFETCH(QString, error);
        QString message = errorOf(line.toStdString());
        QVERIFY2(message.contains(error), qPrintable(message));
        QVERIFY2(!message.contains('\n'), qPrintable(message));
    }

    void aLongLineIsQuotedByItsStart() {
        std::string line =
            "{\"prompt\": 0, \"text\": 7, \"padding\": \"" + std::string(500, 'x') + "\"}";
        QString message = errorOf(line);
        QVERIFY2(message.size() < 200, qPrintable(message));
        QVERIFY2(message.contains("…"), qPrintable(message));
        // Cut inside a multi-byte character, the quote stays valid UTF-8.
        QString cut = errorOf(std::string(59, 'x') + "中文");
        QVERIFY2(cut.endsWith("x\"…"), qPrintable(cut));
        QVERIFY(!cut.contains(QChar::ReplacementCharacter));
    }
};

QTEST_GUILESS_MAIN(TestGenerationLines)
#include "tst_generation_lines.moc"
