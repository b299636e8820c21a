// The Playground with a real worker: two checkpoints of a tiny run continue one prompt side by
// side, streaming piece by piece, the same text again for the same seed; Stop ends a
// generation; a checkpoint folder that goes away is reported in its pane; a local run's
// checkpoints are looked for in the open workspace, and deleted ones are not offered; the
// workspace's imported models (models/<name>) are offered after them; an empty history leaves
// nothing to generate from.
#include "core/proto/run_client.h"
#include "tests/core/proto/tiny_workspace.h"
#include "ui/playground/playground_page.h"
#include "ui/playground/playground_pane.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTextEdit>
#include <QtTest>

using namespace strata;

class TestPlaygroundPage : public QObject {
    Q_OBJECT

    TinyWorkspace m_workspace;
    std::filesystem::path historyFile() const { return m_workspace.root / "strata.db"; }

    static bool idle(ui::PlaygroundPage& page) {
        return !page.pane(0)->running() && !page.pane(1)->running();
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();  // the Playground keeps its settings
        store::RunHistory history(historyFile());
        int64_t run = proto::startRun(history, m_workspace.target(), m_workspace.spec(4, 2));
        QCOMPARE(proto::followRun(history, m_workspace.target(), run), store::RunState::Completed);
        QCOMPARE(history.checkpoints(run).size(), size_t(2));
    }

    void twoCheckpointsStreamSideBySide() {
        store::RunHistory history(historyFile());
        ui::PlaygroundPage page(history, m_workspace.root, STRATA_CLI);
        page.show();
        page.findChild<QCheckBox*>("compare")->setChecked(true);
        auto* a = page.pane(0);
        auto* b = page.pane(1);
        // The newest checkpoint against the one before it.
        QVERIFY(a->choice()->label.contains("step 4"));
        QVERIFY(b->choice()->label.contains("step 2"));
        page.findChild<QPlainTextEdit*>("prompt")->setPlainText("the cat");
        page.findChild<QDoubleSpinBox*>("temperature")->setValue(0);
        page.findChild<QSpinBox*>("maxNewTokens")->setValue(12);
        int updates = 0;
        connect(a->findChild<QTextEdit*>("output"), &QTextEdit::textChanged, this,
                [&] { ++updates; });

        page.findChild<QPushButton*>("generateButton")->click();
        QVERIFY(!page.findChild<QPushButton*>("generateButton")->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(idle(page), 60000);
        QVERIFY2(!a->generatedText().isEmpty(), qPrintable(a->statusText()));
        QVERIFY2(!b->generatedText().isEmpty(), qPrintable(b->statusText()));
        QVERIFY(updates > 3);  // cleared, the prompt, then the text in two pieces or more
        QVERIFY(a->findChild<QTextEdit*>("output")->toPlainText().startsWith("the cat"));
        QVERIFY2(a->statusText().contains("tokens/s"), qPrintable(a->statusText()));
        QVERIFY(page.findChild<QPushButton*>("generateButton")->isEnabled());

        // Greedy, same checkpoint, same prompt: the same text.
        QString first = a->generatedText();
        page.generate();
        QTRY_VERIFY_WITH_TIMEOUT(idle(page), 60000);
        QCOMPARE(a->generatedText(), first);
    }

    // A chat keeps the conversation: the second question is asked after the first and its
    // answer (the worker renders them through the chat template), until New Chat.
    void chatKeepsTheConversation() {
        store::RunHistory history(historyFile());
        ui::PlaygroundPage page(history, m_workspace.root, STRATA_CLI);
        page.show();
        page.findChild<QCheckBox*>("compare")->setChecked(false);
        page.findChild<QCheckBox*>("chat")->setChecked(true);
        page.findChild<QDoubleSpinBox*>("temperature")->setValue(0);
        page.findChild<QSpinBox*>("maxNewTokens")->setValue(6);
        auto* a = page.pane(0);
        auto* newChat = page.findChild<QPushButton*>("newChatButton");
        QVERIFY(!newChat->isEnabled());

        page.findChild<QPlainTextEdit*>("prompt")->setPlainText("the cat");
        page.generate();
        QTRY_VERIFY_WITH_TIMEOUT(idle(page), 60000);
        QVERIFY2(a->statusText().contains("tokens/s"), qPrintable(a->statusText()));
        QString answer = a->generatedText();
        QCOMPARE(a->conversation(), (std::vector<proto::ChatTurn>{
                                        {"user", "the cat"}, {"assistant", answer.toStdString()}}));
        QVERIFY(newChat->isEnabled());

        page.findChild<QPlainTextEdit*>("prompt")->setPlainText("a dog");
        page.generate();
        QTRY_VERIFY_WITH_TIMEOUT(idle(page), 60000);
        QVERIFY2(a->statusText().contains("tokens/s"), qPrintable(a->statusText()));
        QCOMPARE(a->conversation().size(), size_t(4));
        QVERIFY(a->findChild<QTextEdit*>("output")->toPlainText().startsWith(
            "the cat\n\n" + answer + "\n\na dog\n\n"));

        newChat->click();
        QVERIFY(a->conversation().empty());
        QVERIFY(!newChat->isEnabled());
        page.findChild<QCheckBox*>("chat")->setChecked(false);
    }

    void stopEndsAGeneration() {
        store::RunHistory history(historyFile());
        ui::PlaygroundPage page(history, m_workspace.root, STRATA_CLI);
        page.show();
        page.findChild<QCheckBox*>("compare")->setChecked(false);
        page.generate();
        QVERIFY(page.pane(0)->running());
        QVERIFY(!page.pane(1)->running());  // comparing is off
        QVERIFY(page.findChild<QPushButton*>("stopButton")->isEnabled());
        // Stopped before its first piece (the tiny model would finish before a person could).
        page.findChild<QPushButton*>("stopButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(idle(page), 60000);
        QCOMPARE(page.pane(0)->statusText(), QString("Stopped."));
        QVERIFY(page.pane(0)->generatedText().isEmpty());
        QVERIFY(!page.findChild<QPushButton*>("stopButton")->isEnabled());
        page.generate();  // and the next one goes ahead
        QTRY_VERIFY_WITH_TIMEOUT(idle(page), 60000);
        QVERIFY2(!page.pane(0)->generatedText().isEmpty(), qPrintable(page.pane(0)->statusText()));
    }

    void missingCheckpointIsReportedInItsPane() {
        store::RunHistory history(historyFile());
        ui::PlaygroundPage page(history, m_workspace.root, STRATA_CLI);
        page.show();
        page.findChild<QCheckBox*>("compare")->setChecked(true);
        page.findChild<QSpinBox*>("maxNewTokens")->setValue(4);
        std::filesystem::path step2 = page.pane(1)->choice()->path.toStdString();
        std::filesystem::rename(step2, step2.string() + ".moved");
        page.generate();
        QTRY_VERIFY_WITH_TIMEOUT(idle(page), 60000);
        std::filesystem::rename(step2.string() + ".moved", step2);
        QVERIFY2(page.pane(1)->statusText().contains("no such model folder"),
                 qPrintable(page.pane(1)->statusText()));
        QVERIFY(!page.pane(0)->generatedText().isEmpty());  // the other side is unaffected
    }

    void localCheckpointsAreFoundInTheOpenWorkspace() {
        // A workspace copied elsewhere: its local runs' folders moved with it.
        QTemporaryDir moved;
        std::filesystem::path root = moved.path().toStdString();
        std::filesystem::copy(m_workspace.root / "runs", root / "runs",
                              std::filesystem::copy_options::recursive);
        store::RunHistory history(historyFile());
        std::vector<ui::CheckpointChoice> choices = ui::listCheckpoints(history, root);
        QCOMPARE(choices.size(), size_t(2));
        QVERIFY2(choices[0].path.startsWith(moved.path() + "/runs/tiny-") &&
                     choices[0].path.endsWith("/checkpoints/step-0000004"),
                 qPrintable(choices[0].path));
        QVERIFY(choices[0].source.endsWith("/step-4"));
        QCOMPARE(choices[0].host, QString("local"));
        // A checkpoint that retention (or a person) deleted is not offered.
        std::filesystem::remove_all(choices[1].path.toStdString());
        QCOMPARE(ui::listCheckpoints(history, root).size(), size_t(1));
    }

    void importedModelsAreOfferedAfterTheRuns() {
        QTemporaryDir moved;
        std::filesystem::path root = moved.path().toStdString();
        std::filesystem::copy(m_workspace.root / "runs", root / "runs",
                              std::filesystem::copy_options::recursive);
        store::RunHistory history(historyFile());
        std::vector<ui::CheckpointChoice> runs = ui::listCheckpoints(history, root);
        // A model folder (as `strata-cli import -o models/NAME` leaves it) and a folder that is
        // not one.
        std::filesystem::create_directories(root / "models");
        std::filesystem::copy(runs[0].path.toStdString(), root / "models" / "tiny-import",
                              std::filesystem::copy_options::recursive);
        std::filesystem::create_directories(root / "models" / "notes");
        std::vector<ui::CheckpointChoice> choices = ui::listCheckpoints(history, root);
        QCOMPARE(choices.size(), runs.size() + 1);
        const ui::CheckpointChoice& model = choices.back();
        QCOMPARE(model.label, QString("models/tiny-import"));
        QCOMPARE(model.host, QString("local"));
        QCOMPARE(model.path, moved.path() + "/models/tiny-import");
        QCOMPARE(model.source, "folder:" + model.path);
    }

    void emptyHistoryHasNothingToGenerateFrom() {
        QTemporaryDir empty;
        store::RunHistory history(std::filesystem::path(empty.path().toStdString()) / "strata.db");
        ui::PlaygroundPage page(history, empty.path().toStdString(), STRATA_CLI);
        page.show();
        QVERIFY(!page.findChild<QPushButton*>("generateButton")->isEnabled());
        QVERIFY(page.pane(0)->statusText().startsWith("No checkpoint yet"));
    }
};

QTEST_MAIN(TestPlaygroundPage)
#include "tst_playground_page.moc"
