// The Home page on real workspaces: a card per stage with its state, latest run and headline, the
// stage to do next outlined; each card's button asks for its stage's action (a page, New Config
// for a stage with the workspace's data, a reward model from the labels), a run's link asks for
// that run, and the sample pipelines' buttons ask for them (and are off while one runs); a reload
// shows what changed in the workspace, and a history that cannot be read is said in its message
// line.
#include "core/store/database.h"
#include "tests/ui/home/pipeline_workspace.h"
#include "ui/home/home_page.h"

#include <QFrame>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace strata;

namespace {

QFrame* card(ui::HomePage& page, const char* id) {
    return page.findChild<QFrame*>(QString("stage-") + id);
}

QPushButton* action(ui::HomePage& page, const char* id) {
    return card(page, id)->findChild<QPushButton*>("action");
}

QString cardText(ui::HomePage& page, const char* id, const char* label) {
    return card(page, id)->findChild<QLabel*>(label)->text();
}

}  // namespace

class TestHomePage : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void cardsShowEachStage() {
        PipelineWorkspace workspace;
        workspace.addDataset("sample", 100, 90, 5000);
        workspace.addTokenizer("sample", 512);
        workspace.addRun("tiny", "pretrain", store::RunState::Completed, 10, 2.5, {}, {10});
        ui::HomePage page(workspace.history, workspace.root);
        page.resize(1300, 900);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));

        for (int stage = 0; stage < ui::kNumPipelineStages; ++stage)
            QVERIFY(card(page, ui::pipelineStageId(ui::PipelineStage(stage))));
        QVERIFY2(cardText(page, "data", "status").contains("done"),
                 qPrintable(cardText(page, "data", "status")));
        QVERIFY(cardText(page, "data", "headline").contains("5.0K tokens"));
        QVERIFY(cardText(page, "pretrain", "run").contains("tiny"));
        QVERIFY2(cardText(page, "pretrain", "headline").contains("final loss 2.500"),
                 qPrintable(cardText(page, "pretrain", "headline")));
        QVERIFY(cardText(page, "sft", "status").contains("to do"));
        QVERIFY(!card(page, "sft")->findChild<QLabel*>("run")->isVisible());  // no run yet
        QCOMPARE(action(page, "sft")->text(), QString("Start SFT…"));
        // Pretraining is done: SFT is next, and only its card is outlined.
        for (int stage = 0; stage < ui::kNumPipelineStages; ++stage) {
            const char* id = ui::pipelineStageId(ui::PipelineStage(stage));
            QCOMPARE(card(page, id)->property("next").toBool(), QString(id) == "sft");
        }

        // What changes in the workspace shows on the next reload.
        workspace.addRun("sft", "sft", store::RunState::Running, 2, 1.0);
        page.reload();
        QVERIFY(cardText(page, "sft", "status").contains("running"));
        QVERIFY(cardText(page, "sft", "run").contains("sft"));
        QVERIFY(card(page, "sft")->findChild<QLabel*>("run")->isVisible());
        QVERIFY(card(page, "labels")->property("next").toBool());
    }

    void buttonsAskForTheirStagesActions() {
        PipelineWorkspace workspace;
        workspace.write("datasets/sample-tasks/sft.jsonl", "{}\n");
        const int64_t runId =
            workspace.addRun("tiny", "pretrain", store::RunState::Completed, 3, 2.0, {}, {3});
        ui::HomePage page(workspace.history, workspace.root);
        QSignalSpy pages(&page, &ui::HomePage::pageRequested);
        QSignalSpy configs(&page, &ui::HomePage::newConfigRequested);
        QSignalSpy rewards(&page, &ui::HomePage::rewardModelRequested);
        QSignalSpy runs(&page, &ui::HomePage::runRequested);
        QSignalSpy pretrainSample(&page, &ui::HomePage::samplePipelineRequested);
        QSignalSpy fineTuneSample(&page, &ui::HomePage::fineTuneSampleRequested);

        action(page, "data")->click();
        action(page, "tokenizer")->click();
        action(page, "labels")->click();
        action(page, "evaluate")->click();
        action(page, "export")->click();
        QCOMPARE(pages.size(), 5);
        QCOMPARE(pages[0][0].value<ui::StudioPage>(), ui::StudioPage::Data);
        QCOMPARE(pages[1][0].value<ui::StudioPage>(), ui::StudioPage::Tokenizer);
        QCOMPARE(pages[2][0].value<ui::StudioPage>(), ui::StudioPage::Labeling);
        QCOMPARE(pages[3][0].value<ui::StudioPage>(), ui::StudioPage::Playground);
        QCOMPARE(pages[4][0].value<ui::StudioPage>(), ui::StudioPage::Runs);

        action(page, "sft")->click();
        action(page, "policy")->click();
        action(page, "pretrain")->click();
        QCOMPARE(configs.size(), 3);
        QCOMPARE(configs[0][0].toString(), QString("sft"));
        const auto sftValues = configs[0][1].value<QMap<QString, QString>>();
        QCOMPARE(sftValues.value("data.train"),
                 QString::fromStdString(
                     (workspace.root / "datasets" / "sample-tasks" / "sft.jsonl").string()));
        QCOMPARE(configs[1][0].toString(), QString("grpo"));
        QCOMPARE(configs[2][0].toString(), QString("pretrain"));

        action(page, "reward")->click();
        QCOMPARE(rewards.size(), 1);

        // The latest run's link asks for that run.
        auto* runLink = card(page, "pretrain")->findChild<QLabel*>("run");
        emit runLink->linkActivated("run");
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs[0][0].toLongLong(), runId);

        auto* pretrainButton = page.findChild<QPushButton*>("pretrainSample");
        auto* fineTuneButton = page.findChild<QPushButton*>("fineTuneSample");
        pretrainButton->click();
        fineTuneButton->click();
        QCOMPARE(pretrainSample.size(), 1);
        QCOMPARE(fineTuneSample.size(), 1);
        page.setSamplesRunning(true);
        QVERIFY(!pretrainButton->isEnabled());
        QVERIFY(!fineTuneButton->isEnabled());
        page.setSamplesRunning(false);
        QVERIFY(pretrainButton->isEnabled() && fineTuneButton->isEnabled());
    }

    void anUnreadableHistoryIsSaid() {
        PipelineWorkspace workspace;
        workspace.addRun("tiny", "pretrain", store::RunState::Completed, 3, 2.0);
        ui::HomePage page(workspace.history, workspace.root);
        QVERIFY(page.message().isEmpty());
        // The labels' table goes away under the open store, as in a database from elsewhere.
        store::Database(common::historyFile(workspace.root))
            .exec("ALTER TABLE labels RENAME TO gone");
        page.reload();
        QVERIFY2(page.message().startsWith("Cannot read the workspace"),
                 qPrintable(page.message()));
        // The cards keep what they showed, and their buttons still ask.
        QSignalSpy configs(&page, &ui::HomePage::newConfigRequested);
        action(page, "sft")->click();
        QCOMPARE(configs.size(), 1);
    }
};

QTEST_MAIN(TestHomePage)
#include "tst_home_page.moc"
