// `strata-cli eval` as a user runs it, on a checkpoint of a tiny pretraining run: the share of
// greedy answers matching their references, per task and overall, in text and JSON; a task whose
// reference is the model's own greedy answer matches, one without a reference never does;
// `generate --chat` gives the same greedy answer through the same chat template; and one-line
// errors for a missing flag, a bad task line, a prompt with no room for an answer and an
// empty task set.
#include "tiny_checkpoint.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

class TestCliEval : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_checkpoint;

    QString path(const char* name) const { return m_dir.filePath(name); }

    QJsonObject evalJson(const QString& tasks, const QStringList& extra = {}) {
        CliRun run = runCli(QStringList{"eval", "-c", m_checkpoint, "--tasks", tasks, "-n", "4",
                                        "--threads", "1", "--json"} +
                            extra);
        if (run.exitCode != 0) qWarning() << run.err;
        return QJsonDocument::fromJson(run.out.toUtf8()).object();
    }

private slots:
    void initTestCase() {
        m_checkpoint = trainTinyCheckpoint(m_dir.path());
        QVERIFY(!m_checkpoint.isEmpty());
    }

    void countsMatchesPerTaskAndOverall() {
        writeFile(path("probe.jsonl"),
                  "{\"prompt\": \"the cat\", \"answer\": \"x\", \"task\": \"a\"}\n"
                  "{\"prompt\": \"a dog\", \"answer\": \"y\", \"task\": \"b\"}\n");
        QJsonObject probe = evalJson(path("probe.jsonl"), {"--show", "2"});
        QCOMPARE(probe["tasks"].toInt(), 2);
        QString own = probe["answers"].toArray()[0].toObject()["answer"].toString().trimmed();
        QVERIFY2(!own.isEmpty(), "the tiny model answered nothing");

        // The model's own answer as the reference matches; no reference never does.
        QJsonObject line{{"prompt", "the cat"}, {"answer", own}, {"task", "a"}};
        writeFile(path("tasks.jsonl"),
                  QJsonDocument(line).toJson(QJsonDocument::Compact) + "\n" +
                      "{\"prompt\": \"the cat\", \"answer\": \"not this\", \"task\": \"a\"}\n"
                      "{\"prompt\": \"the cat\", \"task\": \"b\"}\n");
        QJsonObject result = evalJson(path("tasks.jsonl"));
        QCOMPARE(result["matched"].toInt(), 1);
        QCOMPARE(result["exact_match"].toDouble(), 1.0 / 3.0);
        QCOMPARE(result["by_task"].toObject()["a"].toObject()["matched"].toInt(), 1);
        QCOMPARE(result["by_task"].toObject()["b"].toObject()["tasks"].toInt(), 1);

        CliRun text = runCli({"eval", "-c", m_checkpoint, "--tasks", path("tasks.jsonl"), "-n", "4",
                              "--threads", "1"});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("exact match:  33.3% (1/3)"), qPrintable(text.out));
        QVERIFY(text.out.contains(QRegularExpression("\\n  a +50.0% \\(1/2\\)")));
    }

    void chatGenerationAnswersAsEvalDoes() {
        // The chat template is the same in eval and `generate --chat`: greedy answers agree.
        writeFile(path("one.jsonl"), "{\"prompt\": \"the cat\", \"answer\": \"x\"}\n");
        QJsonObject eval = evalJson(path("one.jsonl"), {"--show", "1", "--batch", "1"});
        QString expected = eval["answers"].toArray()[0].toObject()["answer"].toString();
        CliRun chat =
            runCli({"generate", "-c", m_checkpoint, "--prompt", "the cat", "--chat", "-t", "0",
                    "--repetition-penalty", "1", "-n", "4", "--threads", "1", "--json"});
        QVERIFY2(chat.exitCode == 0, qPrintable(chat.err));
        QString answer;
        for (const QString& line : chat.out.split('\n', Qt::SkipEmptyParts))
            answer += QJsonDocument::fromJson(line.toUtf8()).object()["text"].toString();
        QCOMPARE(answer, expected);
    }

    void badInputIsAOneLineError() {
        CliRun missing = runCli({"eval", "-c", m_checkpoint});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.lastErrorLine().contains("--tasks FILE is required"));

        writeFile(path("bad.jsonl"),
                  "{\"prompt\": \"fine\", \"answer\": \"1\"}\n{\"answer\": \"2\"}\n");
        CliRun bad = runCli({"eval", "-c", m_checkpoint, "--tasks", path("bad.jsonl")});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.lastErrorLine().contains("bad.jsonl:2"), qPrintable(bad.err));

        // The tiny model's context is 32 tokens: no room for this prompt and an answer.
        writeFile(path("long.jsonl"),
                  "{\"prompt\": \"the cat sees a red house and the dog sees "
                  "a green tree by the old map\", \"answer\": \"1\"}\n");
        CliRun tooLong =
            runCli({"eval", "-c", m_checkpoint, "--tasks", path("long.jsonl"), "-n", "4"});
        QCOMPARE(tooLong.exitCode, 1);
        QVERIFY2(tooLong.lastErrorLine().contains(
                     "long.jsonl: the prompt \"the cat sees a red house and the dog see\" has"),
                 qPrintable(tooLong.err));
        QVERIFY(tooLong.lastErrorLine().contains(
            "with --max-new-tokens = 4 it does not fit model.context_length 32"));

        writeFile(path("empty.jsonl"), "");
        CliRun empty = runCli({"eval", "-c", m_checkpoint, "--tasks", path("empty.jsonl")});
        QCOMPARE(empty.exitCode, 1);
        QVERIFY2(empty.lastErrorLine().contains("empty.jsonl: holds no prompt"),
                 qPrintable(empty.err));
    }
};

QTEST_MAIN(TestCliEval)
#include "tst_cli_eval.moc"
