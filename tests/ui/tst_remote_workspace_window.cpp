// A workspace of another host in the studio: a real sshd on 127.0.0.1 and the saved target that
// reaches it (its key and ssh options). The window's Labeling page labels the host's queue as
// the SSH login and shows the guidelines the owner wrote there; its Runs page overlays the host's
// runs, compares their configs and saves a title and a comment there as the SSH login, with
// deleting turned off; its Train page starts a run there from a config of this machine and
// follows it to its end, and its Playground generates from that run's checkpoint there; its Data
// page previews and cleans the host's raw text there, chosen in the host's folders, and its
// Tokenizer page trains a tokenizer on that corpus there and imports one from this machine; its
// Home page draws the host's pipeline as the host's own studio would. When the host
// goes away, the annotator labels the pairs in hand, the status bar says how many labels are kept
// here, and once the host is back they all arrive once. A text that is not such an address is
// refused in the main window's banner.
#include "core/common/login_name.h"
#include "core/common/workspace_paths.h"
#include "core/proto/remote_label_queue.h"
#include "core/proto/remote_run_catalog.h"
#include "core/proto/remote_workspace_files.h"
#include "core/store/label_store.h"
#include "core/store/run_history.h"
#include "tests/core/proto/ssh_server.h"
#include "tests/tiny_data.h"
#include "ui/common/workspace_file_dialog.h"
#include "ui/data/data_page.h"
#include "ui/home/home_page.h"
#include "ui/labeling/labeling_page.h"
#include "ui/labeling/pair_generation_dialog.h"
#include "ui/main_window.h"
#include "ui/model/model_page.h"
#include "ui/playground/playground_page.h"
#include "ui/playground/playground_pane.h"
#include "ui/remote_workspace_window.h"
#include "ui/runs/runs_page.h"
#include "ui/targets/saved_targets.h"
#include "ui/tokenizer/tokenizer_page.h"
#include "ui/train/train_page.h"
#include "widgets/funnel_chart.h"
#include "widgets/metric_chart.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTextBrowser>
#include <QtTest>

#include <cmath>
#include <fstream>

using namespace strata;

class TestRemoteWorkspaceWindow : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    SshServer m_ssh;
    QList<int64_t> m_runs;  // in the host's history

    std::string workspace() const { return m_dir.filePath("host-ws").toStdString(); }
    QString url() const {
        return QString("ssh://127.0.0.1:%1%2").arg(m_ssh.port()).arg(m_dir.filePath("host-ws"));
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("XDG_DATA_HOME", m_dir.filePath("data").toUtf8());
        QVERIFY2(m_ssh.started(), qPrintable(m_ssh.log()));
        std::filesystem::create_directories(workspace());
        store::LabelStore host(common::historyFile(workspace()));
        std::vector<store::PreferencePair> pairs;
        for (int i = 1; i <= 30; ++i)
            pairs.push_back({0, "question " + std::to_string(i), "yes", "no"});
        host.addPairs(pairs, "owner");
        host.configureQueue({"owner", 1, 600, "Prefer **yes** when unsure."}, "owner");
        store::RunHistory history(common::historyFile(workspace()));
        for (const char* lr : {"0.01", "0.03"}) {
            const int64_t run = history.createRun({std::string("lr-") + lr, "local", "pretrain",
                                                   std::string("[optim]\nlr = ") + lr + "\n"});
            store::IngestBatch batch;
            batch.runId = run;
            for (int step = 1; step <= 500; ++step)
                batch.metrics.push_back({step, "loss", step, 3.0 / std::sqrt(step), 1e9 + step});
            batch.lastSeq = 500;
            batch.stateSeq = 500;
            batch.state = store::RunState::Completed;
            history.ingest(batch);
            m_runs.append(run);
        }
        tiny::writeData(std::filesystem::path(workspace()) / "data");
        // The host as the targets dialog saves it: its key and ssh options.
        ui::saveTargets({{"lab", m_ssh.target(STRATA_CLI, workspace())}});
    }

    void labelsGoToTheHostAsTheLogin() {
        ui::RemoteWorkspaceWindow window(ui::resolveRemoteWorkspace(url()));
        ui::LabelingPage* page = window.labelingPage();
        QCOMPARE(page->findChild<QLineEdit*>("annotator")->text().toStdString(),
                 common::loginName());
        QVERIFY(page->findChild<QLineEdit*>("annotator")->isReadOnly());
        QVERIFY(page->findChild<QTextBrowser*>("guidelines")->toPlainText().contains("Prefer yes"));
        // The Model page is the form alone: no models/ of this machine to import into.
        auto* model = window.findChild<ui::ModelPage*>();
        QVERIFY(model);
        QVERIFY(window.findChild<QLabel*>("remoteNote")->text().contains("models/"));
        QVERIFY(model->findChild<QPushButton*>("importModel")->isHidden());
        for (int i = 0; i < 3; ++i) {
            QVERIFY(page->currentPairId() > 0);
            page->give(ui::LabelingPage::Verdict::Left);
        }
        store::LabelStore host(common::historyFile(workspace()));
        QCOMPARE(host.labels(common::loginName()).size(), size_t(3));
        QVERIFY2(window.connectionText().startsWith("Connected to ssh://127.0.0.1:"),
                 qPrintable(window.connectionText()));
    }

    void runsAreReviewedOnTheHost() {
        ui::RemoteWorkspaceWindow window(ui::resolveRemoteWorkspace(url()));
        window.resize(1400, 900);
        window.show();
        ui::RunsPage* page = window.runsPage();
        window.showPage(page);
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        page->selectRuns(m_runs);
        QCOMPARE(page->selectedRuns().size(), 2);
        auto* chart = page->findChild<widgets::MetricChart*>("overlayChart");
        QCOMPARE(chart->seriesNames(), (QStringList{"lr-0.01", "lr-0.03"}));
        QCOMPARE(chart->shownPoints("lr-0.03").back().x(), 500.0);
        QVERIFY2(page->findChild<QPlainTextEdit*>("configDiff")
                     ->toPlainText()
                     .contains("optim.lr: 0.01  →  0.03"),
                 qPrintable(page->message()));
        QVERIFY(!page->findChild<QPushButton*>("deleteRuns")->isEnabled());
        QVERIFY(!page->findChild<QPushButton*>("exportModel")->isEnabled());

        page->selectRuns({m_runs[0]});
        page->findChild<QLineEdit*>("runTitle")->setText("baseline");
        page->saveDetails();
        page->findChild<QPlainTextEdit*>("newComment")->setPlainText("a fair baseline");
        page->findChild<QPushButton*>("addComment")->click();
        QVERIFY2(page->findChild<QTextBrowser*>("runComments")
                     ->toPlainText()
                     .contains("a fair baseline"),
                 qPrintable(page->message()));
        store::RunHistory host(common::historyFile(workspace()));
        QCOMPARE(host.run(m_runs[0]).title, std::string("baseline"));
        std::vector<store::RunComment> comments = host.comments(m_runs[0]);
        QCOMPARE(comments.size(), size_t(1));
        QCOMPARE(comments[0].author, common::loginName());
        QVERIFY2(page->saveReport(m_dir.filePath("report.html"), {"loss"}),
                 qPrintable(page->message()));
    }

    void aRunStartsOnTheHostFromTheTrainPage() {
        // A config of this machine whose data paths are the host workspace's.
        std::string config = tiny::kConfig;
        for (const std::string file : {"shards", "tokenizer.json"}) {
            const std::string from = "\"" + file + "\"";
            config.replace(config.find(from), from.size(), "\"data/" + file + "\"");
        }
        const QString configPath = m_dir.filePath("tiny.toml");
        std::ofstream(configPath.toStdString()) << config;

        ui::RemoteWorkspaceWindow window(ui::resolveRemoteWorkspace(url()));
        window.resize(1400, 900);
        window.show();
        ui::TrainPage* page = window.trainPage();
        window.showPage(page);
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!page->findChild<QComboBox*>("target")->isVisible());
        QVERIFY(!page->findChild<QPushButton*>("newConfigButton")->isVisible());
        page->findChild<QLineEdit*>("configPath")->setText(configPath);
        QVERIFY2(page->startRun(), qPrintable(page->statusText()));
        QTRY_VERIFY_WITH_TIMEOUT(page->findChild<QPushButton*>("startButton")->isEnabled(), 120000);
        QVERIFY2(page->statusText().contains("completed"), qPrintable(page->statusText()));
        auto* loss = page->findChild<widgets::MetricChart*>("lossChart");
        QVERIFY(!loss->shownPoints("train").isEmpty());
        QCOMPARE(loss->shownPoints("train").back().x(), 6.0);

        store::RunHistory host(common::historyFile(workspace()));
        store::RunRecord run = host.run(page->runId());
        QCOMPARE(run.state, store::RunState::Completed);
        QCOMPARE(run.createdBy, common::loginName());
    }

    void thePlaygroundGeneratesOnTheHost() {
        ui::RemoteWorkspaceWindow window(ui::resolveRemoteWorkspace(url()));
        ui::PlaygroundPage* page = window.playgroundPage();
        window.showPage(page);
        window.show();
        ui::PlaygroundPane* side = page->pane(0);
        QVERIFY2(side->choice() && side->choice()->label.contains("step 6"),
                 qPrintable(side->statusText()));
        QVERIFY(side->choice()->path.startsWith(QString::fromStdString(workspace())));
        page->findChild<QCheckBox*>("compare")->setChecked(false);
        page->findChild<QPlainTextEdit*>("prompt")->setPlainText("the cat");
        page->findChild<QSpinBox*>("maxNewTokens")->setValue(8);
        page->generate();
        QTRY_VERIFY_WITH_TIMEOUT(!side->running(), 60000);
        QVERIFY2(!side->generatedText().isEmpty(), qPrintable(side->statusText()));
        QVERIFY2(side->statusText().contains("tokens/s"), qPrintable(side->statusText()));
    }

    // Pairs generated on the host from its checkpoints, two answers a prompt, join the host's
    // queue as pairs with their sources; the prompt set is this machine's.
    void pairsAreGeneratedOnTheHost() {
        ui::RemoteWorkspaceWindow window(ui::resolveRemoteWorkspace(url()));
        QVERIFY(window.labelingPage()->findChild<QPushButton*>("generatePairs"));
        // A reward-model snapshot is a file of the host's workspace: the page says where, instead
        // of failing. Scoring runs there, as a job.
        auto* snapshot = window.labelingPage()->findChild<QPushButton*>("trainRewardModel");
        QVERIFY(snapshot && !snapshot->isEnabled());
        QVERIFY2(snapshot->toolTip().contains("strata-cli labels export"),
                 qPrintable(snapshot->toolTip()));
        QVERIFY(window.labelingPage()->findChild<QPushButton*>("scorePairs")->isEnabled());

        const proto::WorkerTarget target = ui::resolveRemoteWorkspace(url());
        proto::RemoteRunCatalog runs(target);
        proto::RemoteLabelQueue queue(target);
        const std::vector<ui::CheckpointChoice> checkpoints = ui::listRemoteCheckpoints(runs);
        QVERIFY(!checkpoints.empty());
        const QString prompts = m_dir.filePath("prompts.txt");
        std::ofstream(prompts.toStdString()) << "the cat\na dog\nthe old map\n";
        store::LabelStore host(common::historyFile(workspace()));
        const int64_t before = host.counts().numPairs;

        ui::PairGenerationDialog dialog(queue, "", checkpoints, {}, {});
        dialog.setRemoteWorkspace(target);
        dialog.findChild<QLineEdit*>("promptSet")->setText(prompts);
        dialog.findChild<QSpinBox*>("maxNewTokens")->setValue(8);
        dialog.findChild<QDoubleSpinBox*>("temperature")->setValue(1.5);
        QVERIFY2(dialog.generate(), qPrintable(dialog.messageText()));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.running(), 60000);
        QVERIFY2(dialog.messageText().startsWith("Added"), qPrintable(dialog.messageText()));
        const int64_t added = host.counts().numPairs - before;
        QVERIFY(added > 0 && added <= 3);
        const store::PreferencePair pair = host.pair(before + 1);
        QCOMPARE(QString::fromStdString(pair.sourceA), checkpoints[0].source);
        QVERIFY(pair.responseA != pair.responseB);

        // Scoring is a job on the host; a pretraining checkpoint is refused there, in one line.
        ui::LabelingPage* labeling = window.labelingPage();
        QSignalSpy scored(labeling, &ui::LabelingPage::scoringFinished);
        QVERIFY(labeling->scorePairs(checkpoints[0].path));
        QVERIFY(scored.wait(60000));
        QVERIFY(!scored.first().first().toBool());
        QVERIFY2(labeling->findChild<QLabel*>("message")->text().contains("not a reward model"),
                 qPrintable(labeling->findChild<QLabel*>("message")->text()));
    }

    // The sources are the host's, picked in its folders; the preview samples them there and the
    // cleaning writes the dataset there, its funnel drawn here.
    void theDataPageCleansOnTheHost() {
        ui::RemoteWorkspaceWindow window(ui::resolveRemoteWorkspace(url()));
        ui::DataPage* page = window.dataPage();
        window.show();
        window.showPage(page);
        QCOMPARE(page->findChild<QLineEdit*>("cleanConfigPath")->text(),
                 QString("configs/clean.toml"));

        // The host's folders, walked into from the workspace.
        proto::RemoteWorkspaceFiles files(ui::resolveRemoteWorkspace(url()));
        ui::WorkspaceFileDialog chooser(files, ui::FileChoice::Files, "Add sources");
        auto* entries = chooser.findChild<QListWidget*>("workspaceEntries");
        QVERIFY(!entries->findItems("data", Qt::MatchExactly).isEmpty());
        emit entries->itemActivated(entries->findItems("data", Qt::MatchExactly).first());
        QCOMPARE(chooser.folder(), QString("data"));
        entries->findItems("corpus.jsonl", Qt::MatchExactly).first()->setSelected(true);
        QCOMPARE(chooser.chosen(), QStringList{"data/corpus.jsonl"});
        page->addSource(chooser.chosen().first());
        chooser.showFolder("..");
        QVERIFY2(chooser.message().contains("is outside the workspace"),
                 qPrintable(chooser.message()));

        QSignalSpy previewed(page, &ui::DataPage::previewReady);
        page->preview();
        QVERIFY(previewed.wait(30000));
        QVERIFY(previewed.first().first().toInt() > 0);

        QSignalSpy cleaned(page, &ui::DataPage::cleaningFinished);
        page->runCleaning();
        QVERIFY(cleaned.wait(60000));
        QVERIFY2(cleaned.first().first().toBool(), qPrintable(page->message()));
        const std::filesystem::path dataset =
            std::filesystem::path(workspace()) / "datasets" / "corpus";
        QVERIFY(std::filesystem::file_size(dataset / "clean.jsonl.zst") > 0);
        QVERIFY(
            std::filesystem::exists(std::filesystem::path(workspace()) / "configs" / "clean.toml"));
        QVERIFY(!page->funnel()->steps().isEmpty());
        QVERIFY2(page->message().contains("datasets/corpus/clean.jsonl.zst"),
                 qPrintable(page->message()));
    }

    void theTokenizerPageTrainsOnTheHost() {
        ui::RemoteWorkspaceWindow window(ui::resolveRemoteWorkspace(url()));
        ui::TokenizerPage* page = window.tokenizerPage();
        window.show();
        window.showPage(page);
        QSignalSpy trained(page, &ui::TokenizerPage::trainingFinished);
        QVERIFY(page->trainTokenizer("data/corpus.jsonl", "team", 300));
        QVERIFY(trained.wait(60000));
        QVERIFY2(trained.first().first().toBool(), qPrintable(page->message()));
        const std::filesystem::path tokenizers = std::filesystem::path(workspace()) / "tokenizers";
        QVERIFY(std::filesystem::exists(tokenizers / "team" / "tokenizer.json"));
        auto* chooser = page->findChild<QComboBox*>("tokenizerChoice");
        QVERIFY(chooser->findText("team") >= 0);
        page->findChild<QPlainTextEdit*>("text")->setPlainText("the cat sees a red house");
        QVERIFY(!page->findChild<QLineEdit*>("ids")->text().isEmpty());

        // A tokenizer.json of this machine goes to the host's tokenizers/, once.
        const QString local =
            QString::fromStdString((tokenizers / "team" / "tokenizer.json").string());
        QVERIFY2(page->importTokenizer(local, "brought"), qPrintable(page->message()));
        QVERIFY(std::filesystem::exists(tokenizers / "brought" / "tokenizer.json"));
        QVERIFY(!page->importTokenizer(local, "brought"));
        QVERIFY2(page->message().contains("exists already"), qPrintable(page->message()));
    }

    // After the tests above: the host has a cleaned dataset, tokenizers, a pretraining run and
    // pairs. Each stage reads as a studio on the host reads it, and the buttons lead to this
    // window's pages.
    void theHomePageDrawsTheHostsPipeline() {
        ui::RemoteWorkspaceWindow window(ui::resolveRemoteWorkspace(url()));
        ui::HomePage* page = window.homePage();
        window.show();
        window.showPage(page);
        QVERIFY2(page->message().isEmpty(), qPrintable(page->message()));
        const ui::PipelineState& remote = page->state();
        store::RunHistory history(common::historyFile(workspace()));
        store::LabelStore labels(common::historyFile(workspace()));
        const ui::PipelineState local = ui::PipelineState::read(workspace(), history, labels);
        for (const ui::StageState& stage : local.stages()) {
            const ui::StageState& seen = remote.stage(stage.stage);
            QCOMPARE(seen.status, stage.status);
            QCOMPARE(seen.summary, stage.summary);
            QCOMPARE(seen.headline, stage.headline);
            QCOMPARE(seen.numItems, stage.numItems);
            QCOMPARE(seen.action.text, stage.action.text);
        }
        QCOMPARE(remote.stage(ui::PipelineStage::Data).status, ui::StageStatus::Done);
        QVERIFY(remote.stage(ui::PipelineStage::Tokenizer).summary.contains("team"));
        QVERIFY(remote.stage(ui::PipelineStage::Labels).numItems > 30);  // 30 and generated
        QVERIFY(!page->findChild<QPushButton*>("pretrainSample")->isVisible());
        page->findChild<QFrame*>("stage-tokenizer")->findChild<QPushButton*>("action")->click();
        QVERIFY(window.tokenizerPage()->isVisible());
    }

    void labelsGivenOfflineArriveWhenTheHostIsBack() {
        ui::RemoteWorkspaceWindow window(ui::resolveRemoteWorkspace(url()));
        ui::LabelingPage* page = window.labelingPage();
        QVERIFY(page->currentPairId() > 0);
        m_ssh.stop();
        for (pid_t client : SshServer::clientsOfThisProcess())
            ::kill(client, SIGKILL);
        for (int i = 0; i < 5; ++i) {
            QVERIFY(page->currentPairId() > 0);
            page->give(ui::LabelingPage::Verdict::Right);
        }
        QTRY_VERIFY2(window.connectionText().contains("5 label(s) kept here"),
                     qPrintable(window.connectionText()));
        QVERIFY(page->findChild<QLabel*>("progress")->text().contains("5 label(s) kept here"));
        QVERIFY(m_ssh.start());
        window.retryHost();
        QVERIFY2(window.connectionText().startsWith("Connected"),
                 qPrintable(window.connectionText()));
        store::LabelStore host(common::historyFile(workspace()));
        QCOMPARE(host.labels(common::loginName()).size(), size_t(8));
    }

    void aTextThatIsNoAddressIsRefused() {
        ui::MainWindow main(STRATA_CLI);
        QVERIFY(!main.openRemoteWorkspace("ssh://127.0.0.1"));
        QVERIFY(main.openRemoteWorkspace(url()));
    }
};

QTEST_MAIN(TestRemoteWorkspaceWindow)
#include "tst_remote_workspace_window.moc"
