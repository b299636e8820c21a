// Prompt sets: JSONL objects with a "prompt" or plain lines; a bad line names the file and line.
#include "core/common/error.h"
#include "core/data/prompt_set.h"
#include "tests/error_of.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <sstream>

using namespace strata::data;
namespace fs = std::filesystem;

class TestPromptSet : public QObject {
    Q_OBJECT

private slots:
    void readsJsonlAndText() {
        QTemporaryDir dir;
        fs::path root = dir.path().toStdString();
        std::ofstream(root / "prefs.jsonl")
            << "{\"prompt\": \"Why?\\nSay.\", \"chosen\": \"a\", \"rejected\": \"b\"}\n\n"
               "{\"prompt\": \"二\"}\r\n";
        QCOMPARE(readPromptSet(root / "prefs.jsonl"),
                 (std::vector<std::string>{"Why?\nSay.", "二"}));
        std::ofstream(root / "prompts.txt") << "one\n  \ntwo\r\n";
        QCOMPARE(readPromptSet(root / "prompts.txt"), (std::vector<std::string>{"one", "two"}));
        std::istringstream in("{\"prompt\": \"x\"}\n{\"prompt\": \"\"}\n");
        QCOMPARE(readPromptLines(in, "stdin"), (std::vector<std::string>{"x", ""}));
    }

    // What the worker writes to `generate --prompts -` reads back as the same prompts.
    void promptLinesReadBackExactly() {
        const std::vector<std::string> prompts{"plain", "", "two\nlines \"quoted\"\t\\", "二十",
                                               std::string("nul\0inside", 11)};
        std::string lines;
        for (const std::string& prompt : prompts)
            lines += promptLine(prompt);
        std::istringstream in(lines);
        QCOMPARE(readPromptLines(in, "stdin"), prompts);
    }

    void badLinesNameFileAndLine_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{\"prompt\": \"a\"}\nprompt: b\n")
                                  << "p.jsonl:2: not a JSON object";
        QTest::newRow("no prompt")
            << QByteArray("{\"text\": \"a\"}\n") << "p.jsonl:1: needs a \"prompt\" string";
        QTest::newRow("number") << QByteArray("{\"prompt\": 3}\n")
                                << "p.jsonl:1: needs a \"prompt\" string";
        QTest::newRow("empty prompt")
            << QByteArray("\n{\"prompt\": \"\"}\n") << "p.jsonl:2: the prompt is empty";
        QTest::newRow("no prompts") << QByteArray("\n \n") << "p.jsonl: holds no prompt";
    }
    void badLinesNameFileAndLine() {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        fs::path file = fs::path(dir.path().toStdString()) / "p.jsonl";
        std::ofstream(file) << text.toStdString();
        QString error = errorOf([&] { readPromptSet(file); });
        QVERIFY2(error.endsWith(expected), qPrintable(error));
    }

    void missingFileIsNamed() {
        QString error = errorOf([] { readPromptSet("/nonexistent/p.txt"); });
        QCOMPARE(error, QString("/nonexistent/p.txt: cannot be read"));
    }
};

QTEST_GUILESS_MAIN(TestPromptSet)
#include "tst_prompt_set.moc"
