// `strata-cli train` and `generate` as a user runs them, on data made with the CLI itself
// (tokenizer train, shard): a run folder with run.toml, events.jsonl and checkpoints; --resume
// continuing the event sequence; Ctrl-C saving a checkpoint; a second trainer on a live run folder
// refused; generation from a checkpoint; and one-line errors for bad configs and flags.
#include "cli_runner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

namespace {

const char* kConfig = R"([model]
vocab_size = 280
d_model = 32
num_layers = 2
context_length = 32
num_dense_layers = 1

[model.attention]
num_heads = 4
num_kv_heads = 2

[model.moe]
num_routed_experts = 4
top_k = 2
expert_hidden_size = 32

[data]
shards = "shards"
tokenizer = "tokenizer.json"

[train]
micro_batch_size = 4
max_steps = 6
eval_every = 3
eval_batches = 2

[checkpoint]
every = 3
)";

}  // namespace

class TestCliTrain : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase() {
        QByteArray corpus;
        const char* words[] = {"the cat", "a dog", "sees", "likes", "the old map", "a red house"};
        for (int d = 0; d < 300; ++d) {
            QByteArray text;
            for (int s = 0; s < 4; ++s)
                text += QByteArray(words[(d + s) % 2]) + " " + words[2 + (d * 7 + s) % 2] + " " +
                        words[4 + (d * 3 + s) % 2] + ". ";
            corpus += "{\"text\": \"" + text + "\"}\n";
        }
        QVERIFY(writeFile(path("corpus.jsonl"), corpus));
        CliRun tokenizer = runCli({"tokenizer", "train", path("corpus.jsonl"), "-o",
                                   path("tokenizer.json"), "--vocab-size", "280"});
        QVERIFY2(tokenizer.exitCode == 0, qPrintable(tokenizer.err));
        CliRun shard = runCli({"shard", path("corpus.jsonl"), "--tokenizer", path("tokenizer.json"),
                               "-o", path("shards"), "--set", "shard.validation_fraction=0.1"});
        QVERIFY2(shard.exitCode == 0, qPrintable(shard.err));
        QVERIFY(writeFile(path("run.toml"), kConfig));
        QVERIFY(writeFile(path("prompts.jsonl"), "{\"prompt\": \"the cat\"}\n{\"text\": \"x\"}\n"));
    }

    void trainsResumesAndGenerates() {
        CliRun run = runCli({"train", path("run.toml"), "--run-dir", path("runs/a")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.err.contains("run completed at step 6"));
        QVERIFY(QFile::exists(path("runs/a/run.toml")));
        QVERIFY(QFile::exists(path("runs/a/checkpoints/step-0000006/model.safetensors")));

        CliRun resumed = runCli({"train", path("run.toml"), "--run-dir", path("runs/a"), "--resume",
                                 "--set", "train.max_steps=8"});
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QVERIFY(resumed.err.contains("resuming from"));
        QList<QJsonObject> events = readEvents(path("runs/a/events.jsonl"));
        QStringList types;
        QList<qint64> steps;
        for (int i = 0; i < events.size(); ++i) {
            QCOMPARE(events[i]["seq"].toInteger(), qint64(i + 1));
            types << events[i]["type"].toString();
            if (types.last() == "metrics")
                steps << events[i]["data"].toObject()["step"].toInteger();
        }
        QCOMPARE(steps, (QList<qint64>{1, 2, 3, 4, 5, 6, 7, 8}));
        QCOMPARE(types.count("run_started"), 2);
        QCOMPARE(types.count("router"), 8);
        QCOMPARE(types.last(), QString("run_finished"));
        // run.toml holds the resolved config: the override included.
        QFile runToml(path("runs/a/run.toml"));
        QVERIFY(runToml.open(QIODevice::ReadOnly));
        QVERIFY(runToml.readAll().contains("max_steps = 8"));

        CliRun generated =
            runCli({"generate", "--checkpoint", path("runs/a/checkpoints/step-0000008"), "--prompt",
                    "the cat", "--max-new-tokens", "12", "--temperature", "0"});
        QVERIFY2(generated.exitCode == 0, qPrintable(generated.err));
        QVERIFY(generated.out.startsWith("the cat"));
        QVERIFY(generated.out.size() > QString("the cat\n").size());

        // A prompt set from stdin, as JSON lines: the same greedy text for the same prompt.
        CliRun json =
            runCli({"generate", "--checkpoint", path("runs/a/checkpoints/step-0000008"),
                    "--prompts", "-", "--json", "--max-new-tokens", "12", "--temperature", "0"},
                   "{\"prompt\": \"the cat\"}\n{\"prompt\": \"a dog\"}\n");
        QVERIFY2(json.exitCode == 0, qPrintable(json.err));
        QString texts[2];
        int done = 0;
        QStringList lines = json.out.split('\n', Qt::SkipEmptyParts);
        for (const QString& line : lines) {
            QJsonObject message = QJsonDocument::fromJson(line.toUtf8()).object();
            int prompt = message["prompt"].toInt();
            texts[prompt] += message["text"].toString();
            done += message["done"].toBool();
        }
        QCOMPARE(done, 2);
        QCOMPARE("the cat" + texts[0] + "\n", generated.out);
        QVERIFY(!texts[1].isEmpty());

        // With --json a failure is a line of its own on stdout too, the reason without a prefix.
        CliRun missing =
            runCli({"generate", "--checkpoint", path("runs/a/checkpoints/step-0000099"), "--json"});
        QCOMPARE(missing.exitCode, 1);
        QJsonObject error = QJsonDocument::fromJson(missing.out.trimmed().toUtf8()).object();
        QVERIFY2(error["error"].toString().endsWith("step-0000099: no such model folder"),
                 qPrintable(missing.out));
        QVERIFY2(missing.lastErrorLine().startsWith("strata-cli generate: error: "),
                 qPrintable(missing.err));
    }

    void interruptSavesACheckpoint() {
        QProcess process;
        process.start(STRATA_CLI,
                      {"train", path("run.toml"), "--run-dir", path("runs/int"), "--set",
                       "train.max_steps=1000000", "--set", "checkpoint.every=1000000"});
        QVERIFY(process.waitForStarted());
        QElapsedTimer timer;
        timer.start();
        while (readEvents(path("runs/int/events.jsonl")).size() < 4 && timer.elapsed() < 60000)
            QTest::qWait(20);
        ::kill(pid_t(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 128 + SIGINT);
        QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(err.contains("--resume"), qPrintable(err));
        QList<QJsonObject> events = readEvents(path("runs/int/events.jsonl"));
        QJsonObject last = events.last()["data"].toObject();
        QCOMPARE(events.last()["type"].toString(), QString("run_finished"));
        QCOMPARE(last["status"].toString(), QString("interrupted"));
        QString checkpoint = QString("runs/int/checkpoints/step-%1")
                                 .arg(last["step"].toInteger(), 7, 10, QChar('0'));
        QVERIFY2(QFile::exists(path(checkpoint + "/optimizer.safetensors")),
                 qPrintable(checkpoint));
    }

    void aSecondTrainerOnALiveRunFolderIsRefused() {
        QProcess first;
        first.start(STRATA_CLI, {"train", path("run.toml"), "--run-dir", path("runs/live"), "--set",
                                 "train.max_steps=1000000", "--set", "checkpoint.every=2"});
        QVERIFY(first.waitForStarted());
        QElapsedTimer timer;
        timer.start();
        while (!QFile::exists(path("runs/live/checkpoints/step-0000002")) &&
               timer.elapsed() < 60000)
            QTest::qWait(20);
        for (const QStringList& extra : {QStringList{"--resume"}, QStringList{}}) {
            CliRun second = runCli(
                QStringList{"train", path("run.toml"), "--run-dir", path("runs/live")} + extra);
            QCOMPARE(second.exitCode, 1);
            QVERIFY2(second.lastErrorLine().contains(
                         QString("a trainer (process %1) is already training in this run folder")
                             .arg(first.processId())),
                     qPrintable(second.err));
        }
        ::kill(pid_t(first.processId()), SIGINT);
        QVERIFY(first.waitForFinished(60000));
        // Only the first trainer wrote the log: one start, one end.
        int started = 0, finished = 0;
        for (const QJsonObject& event : readEvents(path("runs/live/events.jsonl"))) {
            started += event["type"].toString() == "run_started";
            finished += event["type"].toString() == "run_finished";
        }
        QCOMPARE(started, 1);
        QCOMPARE(finished, 1);
    }

    void badInputIsOneLine_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown key")
            << QStringList{"train", "@run.toml", "--set", "train.warmup=3"}
            << "strata-cli train: error: --set key 'train.warmup' is not a known setting";
        QTest::newRow("resume without folder")
            << QStringList{"train", "@run.toml", "--resume"}
            << "strata-cli train: error: --resume needs --run-dir: the run folder to continue";
        QTest::newRow("resume if any without folder")
            << QStringList{"train", "@run.toml", "--resume-if-checkpoint"}
            << "strata-cli train: error: --resume-if-checkpoint needs --run-dir: the run folder "
               "to continue";
        QTest::newRow("vocabulary")
            << QStringList{"train", "@run.toml", "--set", "model.vocab_size=512"}
            << "tokenizer.json: the tokenizer has 280 tokens, but model.vocab_size is 512";
        QTest::newRow("no checkpoint") << QStringList{"generate", "--checkpoint", "@nowhere"}
                                       << "nowhere: no such model folder";
        QTest::newRow("bad temperature")
            << QStringList{"generate", "--checkpoint", "@nowhere", "--temperature", "-1"}
            << "strata-cli generate: error: temperature must be at least 0, not -1";
        QTest::newRow("wrapping count")
            << QStringList{"generate", "--checkpoint", "@nowhere", "--max-new-tokens", "4294967297"}
            << "strata-cli generate: error: --max-new-tokens 4294967297 is out of range";
        QTest::newRow("history without chat")
            << QStringList{"generate", "--checkpoint", "@nowhere", "--history", "[]"}
            << "strata-cli generate: error: --history is for --chat";
        QTest::newRow("history not turns")
            << QStringList{"generate", "--checkpoint", "@nowhere", "--chat", "--history",
                           "{\"role\": \"user\"}"}
            << "strata-cli generate: error: --history: must be a JSON array of {\"role\", "
               "\"content\"} objects";
        QTest::newRow("bad prompt set")
            << QStringList{"generate", "--checkpoint", "@nowhere", "--prompts", "@prompts.jsonl"}
            << "prompts.jsonl:2: needs a \"prompt\" string";
    }
    void badInputIsOneLine() {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        CliRun run = runCli(withPathsIn(m_dir, args));
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.lastErrorLine().contains(expected), qPrintable(run.err));
        QVERIFY(!QDir(path("runs/refused")).exists());
    }

    void printsTheDefaultConfig() {
        CliRun run = runCli({"train", "--print-default-config"});
        QCOMPARE(run.exitCode, 0);
        for (const char* table :
             {"[model]", "[data]", "[train]", "[optim]", "[schedule]", "[checkpoint]"})
            QVERIFY2(run.out.contains(table), table);
    }
};

QTEST_APPLESS_MAIN(TestCliTrain)
#include "tst_cli_train.moc"
