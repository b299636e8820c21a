// The main window's workspace handling: an empty folder opens as a workspace with its pages and
// no error, on the Home page, whose buttons open the page that does what they ask (the Data page,
// New Config… on the Train page, the Labeling page's reward model flow, the fine-tune sample
// through `strata-cli demo finetune`); a database from a newer Strata, a file that is not a
// database, and a folder that cannot be made are each reported in the window's banner while the
// open workspace stays; quitting while a run trains asks, and cancel keeps the window while stop
// stops the run; a page that is not shown is not re-read (the Runs page's table, the Train page's
// chart timer) until it is shown again; switching workspace and quitting go on at once while a
// run's worker is still starting, the session ending on its own.
#include "core/common/workspace_paths.h"
#include "core/store/database.h"
#include "tests/core/proto/tiny_workspace.h"
#include "tests/ui/common/stub_cli.h"
#include "ui/common/export_model_dialog.h"
#include "ui/data/data_page.h"
#include "ui/home/home_page.h"
#include "ui/labeling/labeling_page.h"
#include "ui/main_window.h"
#include "ui/model/import_model_dialog.h"
#include "ui/model/model_page.h"
#include "ui/playground/playground_page.h"
#include "ui/playground/playground_pane.h"
#include "ui/runs/runs_page.h"
#include "ui/train/fine_tune_dialog.h"
#include "ui/train/run_config_dialog.h"
#include "ui/train/run_session.h"
#include "ui/train/train_page.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QTimer>

#include <QFile>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace strata;

namespace {

// The rows of the page list.
enum Page { Home, Data, Tokenizer, Model, Train, Labeling, Runs, Playground, kNumPages };

QPushButton* stageAction(ui::MainWindow& window, const char* stage) {
    return window.findChild<ui::HomePage*>()
        ->findChild<QFrame*>(QString("stage-") + stage)
        ->findChild<QPushButton*>("action");
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::filesystem::path folder(const char* name) { return m_tmp.filePath(name).toStdString(); }

    // Answers the question the window asks when it is closed while a run is active: a standard
    // button, or the custom one named `custom`.
    static void answerQuitQuestion(QMessageBox::StandardButton standard, const char* custom) {
        QTimer::singleShot(100, [=] {
            for (QWidget* widget : QApplication::topLevelWidgets())
                if (auto* box = qobject_cast<QMessageBox*>(widget);
                    box && box->objectName() == "quitQuestion")
                    (custom ? box->findChild<QPushButton*>(custom) : box->button(standard))
                        ->click();
        });
    }

    // A strata-cli whose worker never says hello: it sleeps a while and exits, as a host that
    // does not answer would until the connection gives up.
    std::filesystem::path silentCli() {
        std::filesystem::path path = folder("silent-cli");
        std::ofstream(path) << "#!/bin/sh\nsleep 5\n";
        std::filesystem::permissions(path, std::filesystem::perms::owner_all);
        return path;
    }

    // A strata-cli that writes its arguments to `arguments` and a line as a command would,
    // after `seconds`.
    std::filesystem::path recordingCli(const std::filesystem::path& arguments, int seconds) {
        std::filesystem::path path = folder("recording-cli");
        std::ofstream(path) << "#!/bin/sh\necho \"$@\" > '" << arguments.string() << "'\nsleep "
                            << seconds << "\necho 'exact match after grpo: 40.0%'\n";
        std::filesystem::permissions(path, std::filesystem::perms::owner_all);
        return path;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void emptyFolderOpensAsAWorkspace() {
        ui::MainWindow window(STRATA_CLI);
        window.show();
        QVERIFY(window.openWorkspace(folder("empty")));
        QVERIFY(window.errorText().isEmpty());
        QVERIFY(std::filesystem::exists(folder("empty") / "strata.db"));
        auto* pages = window.findChild<QListWidget*>("pageList");
        QCOMPARE(pages->count(), int(kNumPages));
        // A workspace opens on the Home page, the first.
        QCOMPARE(pages->currentRow(), int(Home));
        QCOMPARE(pages->item(Home)->text(), QString("Home"));
        QVERIFY(window.findChild<ui::HomePage*>()->isVisible());
        for (int row = 0; row < pages->count(); ++row) {  // each page opens on nothing
            pages->setCurrentRow(row);
            QCoreApplication::processEvents();
            QVERIFY2(window.errorText().isEmpty(), qPrintable(pages->item(row)->text()));
        }
        QVERIFY(window.windowTitle().contains("empty"));
        // The studio's log: in the console and in the workspace's rotating file.
        QVERIFY(window.findChild<QPlainTextEdit*>("studioLog")
                    ->toPlainText()
                    .contains("opened the workspace"));
        QFile log(QString::fromStdString((folder("empty") / "logs" / "studio.log").string()));
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY(log.readAll().contains("opened the workspace"));
    }

    void unopenableWorkspacesAreReported() {
        ui::MainWindow window(STRATA_CLI);
        window.show();
        QVERIFY(window.openWorkspace(folder("good")));

        std::filesystem::create_directories(folder("v999"));
        {
            store::Database db(common::historyFile(folder("v999")));
            db.setUserVersion(999);
        }
        QVERIFY(!window.openWorkspace(folder("v999")));
        QVERIFY2(window.errorText().contains("newer"), qPrintable(window.errorText()));

        std::filesystem::create_directories(folder("junk"));
        QFile corrupt(QString::fromStdString(common::historyFile(folder("junk")).string()));
        QVERIFY(corrupt.open(QIODevice::WriteOnly));
        corrupt.write(QByteArray(8192, 'x'));
        corrupt.close();
        QVERIFY(!window.openWorkspace(folder("junk")));
        QVERIFY2(window.errorText().contains("not a database"), qPrintable(window.errorText()));

        QFile blocker(m_tmp.filePath("file"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QVERIFY(!window.openWorkspace(folder("file") / "below"));
        QVERIFY(!window.errorText().isEmpty());

        QCOMPARE(window.workspace(), folder("good"));  // still open
        QCOMPARE(window.findChild<QListWidget*>("pageList")->count(), int(kNumPages));
    }

    void quittingWithAnActiveRunAsks() {
        TinyWorkspace workspace;
        workspace.writeConfig("long.toml", 1000000, 1000);

        ui::MainWindow window(STRATA_CLI);
        window.show();
        QVERIFY(window.openWorkspace(workspace.root));
        auto* train = window.findChild<ui::TrainPage*>();
        train->findChild<QLineEdit*>("configPath")
            ->setText(QString::fromStdString((workspace.root / "long.toml").string()));
        train->startRun();
        store::RunHistory history(workspace.root / "strata.db");
        auto state = [&] {
            return train->runId() == 0 ? store::RunState::Created
                                       : history.run(train->runId()).state;
        };
        QTRY_COMPARE_WITH_TIMEOUT(state(), store::RunState::Running, 60000);

        answerQuitQuestion(QMessageBox::Cancel, nullptr);
        QVERIFY(!window.close());
        QVERIFY(window.isVisible());
        QCOMPARE(state(), store::RunState::Running);

        answerQuitQuestion(QMessageBox::NoButton, "stop");
        QVERIFY(window.close());
        QTRY_COMPARE_WITH_TIMEOUT(state(), store::RunState::Stopped, 60000);
    }

    void hiddenPagesAreReadWhenShown() {
        ui::MainWindow window(STRATA_CLI);
        window.show();
        QVERIFY(window.openWorkspace(folder("pages")));
        auto* pages = window.findChild<QListWidget*>("pageList");
        auto* runTable = window.findChild<ui::RunsPage*>()->findChild<QTableView*>("runTable");
        QCOMPARE(runTable->model()->rowCount(), 0);

        // A run another process records while the Data page is shown.
        store::RunHistory history(folder("pages") / "strata.db");
        store::NewRun run;
        run.name = "elsewhere";
        run.host = "local";
        run.stage = "pretrain";
        int64_t runId = history.createRun(run);
        window.findChild<QAction*>("refreshAction")->trigger();
        QCOMPARE(runTable->model()->rowCount(), 0);  // the Runs page is not shown: not re-read
        pages->setCurrentRow(Runs);
        QCOMPARE(runTable->model()->rowCount(), 1);  // shown: re-read at once

        // The Train page follows the run (it has not ended) only while shown.
        auto* train = window.findChild<ui::TrainPage*>();
        auto* chartRefresh = train->findChild<QTimer*>("chartRefresh");
        QVERIFY(chartRefresh);
        pages->setCurrentRow(Train);
        train->showRun(runId);
        QVERIFY(chartRefresh->isActive());
        pages->setCurrentRow(Data);
        QVERIFY(!chartRefresh->isActive());
        pages->setCurrentRow(Train);
        QVERIFY(chartRefresh->isActive());

        // The Home page re-reads the workspace when shown, and while shown on every refresh.
        pages->setCurrentRow(Home);
        auto* pretrain = window.findChild<ui::HomePage*>()
                             ->findChild<QFrame*>("stage-pretrain")
                             ->findChild<QLabel*>("run");
        QVERIFY2(pretrain->text().contains("elsewhere"), qPrintable(pretrain->text()));
        run.name = "later";
        history.createRun(run);
        window.findChild<QAction*>("refreshAction")->trigger();
        QVERIFY2(pretrain->text().contains("later"), qPrintable(pretrain->text()));
    }

    void homeButtonsOpenThePagesThatDoIt() {
        ui::MainWindow window(STRATA_CLI);
        window.show();
        QVERIFY(window.openWorkspace(folder("home")));
        auto* pages = window.findChild<QListWidget*>("pageList");

        stageAction(window, "data")->click();
        QCOMPARE(pages->currentRow(), int(Data));
        QVERIFY(window.findChild<ui::DataPage*>()->isVisible());

        // New Config… on the Train page, for the stage.
        pages->setCurrentRow(Home);
        stageAction(window, "sft")->click();
        QCOMPARE(pages->currentRow(), int(Train));
        auto* dialog = window.findChild<ui::RunConfigDialog*>();
        QVERIFY(dialog && dialog->isVisible());
        QCOMPARE(dialog->findChild<QComboBox*>("stage")->currentText(), QString("sft"));
        dialog->close();

        // A reward model needs labels: without them, the Labeling page says so.
        pages->setCurrentRow(Home);
        stageAction(window, "reward")->click();
        QCOMPARE(pages->currentRow(), int(Labeling));
        QString labeling =
            window.findChild<ui::LabelingPage*>()->findChild<QLabel*>("message")->text();
        QVERIFY2(labeling.contains("No pair has an A or B label"), qPrintable(labeling));

        // The Runs page's placeholder leads back to the pipeline.
        pages->setCurrentRow(Runs);
        auto* runsEmpty = window.findChild<ui::RunsPage*>()->findChild<QWidget*>("runsEmpty");
        for (QPushButton* button : runsEmpty->findChildren<QPushButton*>())
            if (button->text() == "Open the Pipeline") button->click();
        QCOMPARE(pages->currentRow(), int(Home));
    }

    // File ▸ Import Model… runs the import (a stand-in writes the model folder), and the pages
    // that list models show it; from the Home page's SFT card it is fine-tuned (the config opens
    // on the Train page), and from the Playground exported.
    void anImportedModelIsFineTunedAndExported() {
        std::filesystem::create_directories(folder("hf-smol"));
        test::StubCli cli(folder("stub"), "imported", 0,
                          "mkdir -p \"$4\" && printf '[model]\\n' > \"$4/model.toml\"\n");
        ui::MainWindow window(cli.script);
        window.show();
        const std::filesystem::path workspace = folder("import");
        QVERIFY(window.openWorkspace(workspace));
        auto* action = window.findChild<QAction*>("importModelAction");
        QVERIFY(action);
        action->trigger();
        auto* dialog = window.findChild<ui::ImportModelDialog*>();
        QVERIFY(dialog && dialog->isVisible());
        dialog->setSource(QString::fromStdString(folder("hf-smol")));
        QVERIFY(dialog->startImport());
        const QString model = QString::fromStdString((workspace / "models" / "hf-smol").string());
        QTRY_VERIFY(std::filesystem::exists(workspace / "models" / "hf-smol" / "model.toml"));
        QTRY_VERIFY(!dialog->running());
        QCOMPARE(cli.recorded().value(0), QString("import"));
        // The Home page and the Model page list it.
        auto* home = window.findChild<ui::HomePage*>();
        QCOMPARE(home->state().stage(ui::PipelineStage::Pretrain).numItems, 1);
        auto* models = window.findChild<ui::ModelPage*>()->findChild<QComboBox*>("workspaceModel");
        QVERIFY(models->findData(model) >= 0);
        dialog->close();

        // Fine-tune… from the SFT card: the dialog has the model; its config opens on the Train
        // page.
        std::ofstream((workspace / "datasets" / "tasks.jsonl").string()) << "";
        std::filesystem::create_directories(workspace / "datasets" / "sft");
        std::ofstream((workspace / "datasets" / "sft" / "chat.jsonl").string()) << "{}\n";
        home->reload();
        auto* fineTune = stageAction(window, "sft");
        QCOMPARE(fineTune->text(), QString("Fine-tune…"));
        fineTune->click();
        auto* tune = window.findChild<ui::FineTuneDialog*>();
        QVERIFY(tune && tune->isVisible());
        QCOMPARE(tune->findChild<QComboBox*>("model")->currentData().toString(), model);
        QVERIFY2(tune->save(), qPrintable(tune->messageText()));
        auto* pages = window.findChild<QListWidget*>("pageList");
        QCOMPARE(pages->currentRow(), int(Train));
        QCOMPARE(window.findChild<ui::TrainPage*>()->configPath(), tune->savedPath());
        tune->close();

        // Export… from the Playground's side A, with the model chosen there.
        pages->setCurrentRow(Playground);
        ui::PlaygroundPane* side = window.findChild<ui::PlaygroundPage*>()->pane(0);
        auto* checkpoint = side->findChild<QComboBox*>("checkpoint");
        QTRY_VERIFY(checkpoint->count() > 0);
        checkpoint->setCurrentIndex(checkpoint->count() - 1);
        side->findChild<QPushButton*>("exportModel")->click();
        auto* exporting = window.findChild<ui::ExportModelDialog*>();
        QVERIFY(exporting && exporting->isVisible());
        QCOMPARE(exporting->findChild<QLabel*>("checkpoint")->text(), model);
        QCOMPARE(exporting->destination(),
                 QString::fromStdString((workspace / "exports" / "hf-smol").string()));
        exporting->close();
    }

    void theFineTuneSampleRunsTheDemo() {
        const std::filesystem::path arguments = folder("finetune-arguments");
        ui::MainWindow window(recordingCli(arguments, 1));
        window.show();
        QVERIFY(window.openWorkspace(folder("finetune")));
        auto* home = window.findChild<ui::HomePage*>();
        auto* button = home->findChild<QPushButton*>("fineTuneSample");
        auto* menuAction = window.findChild<QAction*>("runFineTuneSample");
        auto* pretrainAction = window.findChild<QAction*>("runSamplePipeline");
        button->click();
        // One sample at a time.
        QVERIFY(!button->isEnabled());
        QVERIFY(!home->findChild<QPushButton*>("pretrainSample")->isEnabled());
        QVERIFY(!menuAction->isEnabled() && !pretrainAction->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(button->isEnabled(), 30000);
        QVERIFY(menuAction->isEnabled() && pretrainAction->isEnabled());
        QFile recorded(QString::fromStdString(arguments.string()));
        QVERIFY(recorded.open(QIODevice::ReadOnly));
        QCOMPARE(
            QString::fromUtf8(recorded.readAll()).trimmed(),
            "demo finetune --workspace " + QString::fromStdString(folder("finetune").string()));
        QVERIFY2(window.statusBar()->currentMessage().contains("exact match after grpo"),
                 qPrintable(window.statusBar()->currentMessage()));
    }

    void switchingAndQuittingDoNotWaitForAStartingRun() {
        TinyWorkspace workspace;
        const QString config =
            QString::fromStdString(workspace.writeConfig("run.toml", 100, 10).string());
        auto* window = new ui::MainWindow(silentCli());
        window->show();
        QVERIFY(window->openWorkspace(workspace.root));
        auto startSilentRun = [&] {
            auto* train = window->findChild<ui::TrainPage*>();
            train->setConfigPath(config);
            QVERIFY2(train->startRun(), qPrintable(train->statusText()));
            QVERIFY(train->runActive());  // its worker is still starting
        };
        startSilentRun();
        QElapsedTimer clock;
        clock.start();
        QVERIFY(window->openWorkspace(folder("elsewhere")));
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));

        QVERIFY(window->openWorkspace(workspace.root));
        startSilentRun();
        answerQuitQuestion(QMessageBox::NoButton, "detach");
        QVERIFY(window->close());
        clock.restart();
        delete window;
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));

        // The sessions let go end once their workers' connections give up.
        QTRY_VERIFY_WITH_TIMEOUT(
            QCoreApplication::instance()->findChildren<ui::RunSession*>().isEmpty(), 30000);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
