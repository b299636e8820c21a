// Generate Pairs… with a real worker: two checkpoints of a tiny run answer a prompt set and the
// pairs land in the labeling queue with their sources; one checkpoint on both sides differs by
// seed, and greedy answers that agree are left out; a bad prompt set or a vanished checkpoint adds
// nothing and says why.
#include "core/proto/run_client.h"
#include "tests/core/proto/tiny_workspace.h"
#include "ui/labeling/pair_generation_dialog.h"
#include "ui/labeling/pair_generator.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QtTest>

using namespace strata;

class TestPairGenerationDialog : public QObject {
    Q_OBJECT

    TinyWorkspace m_workspace;
    std::filesystem::path historyFile() const { return m_workspace.root / "strata.db"; }

    std::vector<ui::CheckpointChoice> checkpoints() {
        store::RunHistory history(historyFile());
        return ui::listCheckpoints(history, m_workspace.root);
    }

    // Runs the dialog with `promptSet` on checkpoints `a` and `b`; returns its message.
    // `meanwhile` runs after the dialog listed the checkpoints, before it generates.
    QString generate(const std::string& promptSet, int a, int b, double temperature,
                     const std::function<void()>& meanwhile = {}) {
        std::filesystem::path file = m_workspace.root / "prompts.jsonl";
        std::ofstream(file) << promptSet;
        store::LocalLabelQueue queue(historyFile());
        ui::PairGenerationDialog dialog(queue, "", checkpoints(), m_workspace.root, STRATA_CLI);
        dialog.findChild<QComboBox*>("checkpointA")->setCurrentIndex(a);
        dialog.findChild<QComboBox*>("checkpointB")->setCurrentIndex(b);
        dialog.findChild<QLineEdit*>("promptSet")->setText(QString::fromStdString(file.string()));
        dialog.findChild<QSpinBox*>("maxNewTokens")->setValue(8);
        dialog.findChild<QDoubleSpinBox*>("temperature")->setValue(temperature);
        if (meanwhile) meanwhile();
        if (dialog.generate() && !QTest::qWaitFor([&] { return !dialog.running(); }, 60000))
            return "timed out";
        return dialog.messageText();
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        store::RunHistory history(historyFile());
        int64_t run = proto::startRun(history, m_workspace.target(), m_workspace.spec(4, 2));
        QCOMPARE(proto::followRun(history, m_workspace.target(), run), store::RunState::Completed);
    }

    void emptyOrEqualAnswersAreLeftOut() {
        int leftOut = -1;
        std::vector<store::PreferencePair> pairs =
            ui::pairAnswers({"p1", "p2", "p3"}, {"x", " \n", "same"}, {"y", "z", "same"},
                            "run:1/step-4", "run:1/step-2", leftOut);
        QCOMPARE(leftOut, 2);
        QCOMPARE(pairs.size(), size_t(1));
        QCOMPARE(pairs[0].prompt, std::string("p1"));
        QCOMPARE(pairs[0].responseB, std::string("y"));
        QCOMPARE(pairs[0].sourceA, std::string("run:1/step-4"));
    }

    void twoCheckpointsAnswerAPromptSet() {
        store::LabelStore labels(historyFile());
        int64_t before = labels.counts().numPairs;
        QString message = generate(
            "{\"prompt\": \"the cat\"}\n{\"prompt\": \"a dog\"}\n"
            "{\"prompt\": \"the old map\"}\n",
            0, 1, 1.0);
        QVERIFY2(message.startsWith("Added"), qPrintable(message));
        int64_t added = labels.counts().numPairs - before;
        QVERIFY(added > 0 && added <= 3);
        store::PreferencePair pair = labels.pair(before + 1);
        QCOMPARE(pair.sourceA, std::string("run:1/step-4"));
        QCOMPARE(pair.sourceB, std::string("run:1/step-2"));
        QVERIFY(pair.responseA != pair.responseB);
    }

    void oneCheckpointTwiceDiffersBySeedOnly() {
        store::LabelStore labels(historyFile());
        // Greedy: side B's other seed changes nothing, so every pair is the same answer twice.
        QString greedy =
            generate("{\"prompt\": \"the cat\"}\n{\"prompt\": \"a dog\"}\n", 0, 0, 0.0);
        QVERIFY2(greedy.startsWith("Added 0 ") && greedy.contains("2 left out"),
                 qPrintable(greedy));
        int64_t before = labels.counts().numPairs;
        QString sampled =
            generate("{\"prompt\": \"the cat\"}\n{\"prompt\": \"a dog\"}\n", 0, 0, 1.5);
        QVERIFY2(labels.counts().numPairs > before, qPrintable(sampled));
    }

    void badInputAddsNothing() {
        store::LabelStore labels(historyFile());
        int64_t before = labels.counts().numPairs;
        QString bad = generate("{\"prompt\": \"the cat\"}\nthe dog\n", 0, 1, 1.0);
        QVERIFY2(bad.endsWith("prompts.jsonl:2: not a JSON object"), qPrintable(bad));

        std::filesystem::path step2 = checkpoints()[1].path.toStdString();
        QString missing = generate("{\"prompt\": \"the cat\"}\n", 0, 1, 1.0, [&] {
            std::filesystem::rename(step2, step2.string() + ".moved");
        });
        std::filesystem::rename(step2.string() + ".moved", step2);
        QVERIFY2(
            missing.startsWith("Nothing was added") && missing.contains("no such model folder"),
            qPrintable(missing));
        QCOMPARE(labels.counts().numPairs, before);
    }
};

QTEST_MAIN(TestPairGenerationDialog)
#include "tst_pair_generation_dialog.moc"
