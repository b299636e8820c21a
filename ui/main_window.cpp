#include "ui/main_window.h"

#include "core/common/workspace_paths.h"
#include "ui/common/appearance.h"
#include "ui/common/checkpoint_choices.h"
#include "ui/common/cli_job.h"
#include "ui/common/export_model_dialog.h"
#include "ui/common/icons.h"
#include "ui/common/language.h"
#include "ui/common/sample_pipeline.h"
#include "ui/common/studio_log.h"
#include "ui/data/data_page.h"
#include "ui/home/home_page.h"
#include "ui/labeling/labeling_page.h"
#include "ui/model/import_model_dialog.h"
#include "ui/model/model_page.h"
#include "ui/playground/playground_page.h"
#include "ui/remote_workspace_window.h"
#include "ui/runs/runs_page.h"
#include "ui/targets/saved_targets.h"
#include "ui/targets/targets_dialog.h"
#include "ui/tokenizer/tokenizer_page.h"
#include "ui/train/fine_tune_dialog.h"
#include "ui/train/train_page.h"

#include <QAction>
#include <QActionGroup>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QListWidgetItem>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

namespace strata::ui {

namespace fs = std::filesystem;

namespace {

// How often the pages re-read the history, which runs followed elsewhere keep writing.
constexpr int kRefreshMilliseconds = 2000;

}  // namespace

MainWindow::MainWindow(fs::path localCli, QWidget* parent)
    : QMainWindow(parent),
      m_localCli(std::move(localCli)),
      m_pageList(new QListWidget),
      m_pages(new QStackedWidget),
      m_banner(new QLabel),
      m_emptyState(new QLabel),
      m_runCounts(new QLabel),
      m_refreshTimer(new QTimer(this)),
      m_logConsole(new QPlainTextEdit),
      m_log(std::make_unique<StudioLog>(m_logConsole)),
      m_pipelineStage(new QLabel),
      m_pipelineProgress(new QProgressBar),
      m_errors([this](const QString& message) {
          m_banner->setText(message);
          m_banner->show();
      }) {
    setWindowTitle(tr("Strata"));
    m_banner->setObjectName("errorBanner");
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(
        "QLabel { background: palette(highlight); color: palette(highlighted-text);"
        " padding: 6px; }");
    m_banner->hide();
    m_emptyState->setObjectName("emptyState");
    m_emptyState->setAlignment(Qt::AlignCenter);
    m_emptyState->setText(tr("Open a workspace (File ▸ Open Workspace…) to see its runs."));
    m_pages->addWidget(m_emptyState);
    m_pageList->setObjectName("pageList");
    m_pageList->setMaximumWidth(180);
    connect(m_pageList, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && m_history) m_pages->setCurrentIndex(row + 1);
    });

    auto* body = new QHBoxLayout;
    body->addWidget(m_pageList);
    body->addWidget(m_pages, 1);
    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->addWidget(m_banner);
    layout->addLayout(body, 1);
    setCentralWidget(central);
    m_runCounts->setObjectName("runCounts");
    m_pipelineStage->setObjectName("pipelineStage");
    m_pipelineProgress->setRange(0, SamplePipeline::kStages);
    m_pipelineProgress->setMaximumWidth(160);
    m_pipelineProgress->hide();
    statusBar()->addPermanentWidget(m_pipelineStage);
    statusBar()->addPermanentWidget(m_pipelineProgress);
    statusBar()->addPermanentWidget(m_runCounts);
    m_logConsole->setObjectName("studioLog");
    m_logConsole->setReadOnly(true);
    m_logConsole->setMaximumBlockCount(5000);
    m_logDock = new QDockWidget(tr("Log"), this);
    m_logDock->setObjectName("logDock");
    m_logDock->setWidget(m_logConsole);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);
    m_logDock->hide();
    m_fineTune = new CliJob(m_localCli, this);
    connect(m_fineTune, &CliJob::line, this, [this](const QString& line) {
        m_pipelineStage->setText(tr("Fine-tune sample: %1").arg(line));
        spdlog::info("demo finetune: {}", line.toStdString());
    });
    connect(m_fineTune, &CliJob::progress, this, [this](int percent) {
        m_pipelineProgress->setRange(0, 100);
        m_pipelineProgress->setValue(percent);
    });
    connect(m_fineTune, &CliJob::finished, this, [this](bool ok, const QString& lastLine) {
        showPipelineIdle();
        statusBar()->showMessage(ok ? tr("The fine-tune sample finished: %1").arg(lastLine)
                                    : tr("The fine-tune sample stopped: %1").arg(lastLine));
        refresh();
    });
    buildMenus();

    m_refreshTimer->setObjectName("historyRefresh");
    m_refreshTimer->setInterval(kRefreshMilliseconds);
    connect(m_refreshTimer, &QTimer::timeout, this, &MainWindow::refresh);
    if (!restoreGeometry(QSettings().value("window/geometry").toByteArray())) resize(1280, 800);
    restoreState(QSettings().value("window/state").toByteArray());
}

void MainWindow::saveLayout() {
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    for (QSplitter* splitter : m_pages->findChildren<QSplitter*>())
        if (!splitter->objectName().isEmpty())
            settings.setValue("splitters/" + splitter->objectName(), splitter->saveState());
}

void MainWindow::restoreSplitters() {
    QSettings settings;
    for (QSplitter* splitter : m_pages->findChildren<QSplitter*>())
        if (!splitter->objectName().isEmpty())
            splitter->restoreState(
                settings.value("splitters/" + splitter->objectName()).toByteArray());
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Workspace…"), this, &MainWindow::chooseWorkspace);
    open->setShortcut(QKeySequence::Open);
    open->setIcon(studioIcon(StudioIcon::Open));
    file->addAction(tr("Open &Remote Workspace…"), this, &MainWindow::chooseRemoteWorkspace);
    QAction* importAction = file->addAction(tr("&Import Model…"), this, [this] { importModel(); });
    importAction->setObjectName("importModelAction");
    importAction->setIcon(studioIcon(StudioIcon::Import));
    importAction->setShortcut(QKeySequence(tr("Ctrl+I")));
    importAction->setToolTip(
        tr("Import a Hugging Face model folder or a GGUF file into this workspace's models/"));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    QMenu* run = menuBar()->addMenu(tr("&Run"));
    m_runPipeline =
        run->addAction(tr("Run the &Sample Pipeline"), this, &MainWindow::runSamplePipeline);
    m_runPipeline->setObjectName("runSamplePipeline");
    m_runPipeline->setIcon(studioIcon(StudioIcon::Train));
    m_runPipeline->setShortcut(QKeySequence(tr("Ctrl+Shift+R")));
    m_runPipeline->setToolTip(
        tr("Clean the sample corpus, train its tokenizer, shard it and "
           "pretrain a tiny model on this machine, stage by stage"));
    m_runFineTune =
        run->addAction(tr("Run the &Fine-tune Sample"), this, &MainWindow::runFineTuneSample);
    m_runFineTune->setObjectName("runFineTuneSample");
    m_runFineTune->setIcon(studioIcon(StudioIcon::FineTune));
    m_runFineTune->setToolTip(
        tr("Measure the real model of the workspace on held-out sample tasks, fine-tune it with "
           "LoRA SFT and then GRPO, and measure it after each stage (strata-cli demo finetune)"));
    m_cancelPipeline = run->addAction(tr("&Cancel the Sample Pipeline"), this, [this] {
        if (m_pipeline) m_pipeline->cancel();
        m_fineTune->cancel();
    });
    m_cancelPipeline->setEnabled(false);
    m_cancelPipeline->setIcon(studioIcon(StudioIcon::Stop));
    QToolBar* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName("mainToolbar");
    toolbar->addAction(open);
    toolbar->addAction(importAction);
    toolbar->addSeparator();
    toolbar->addAction(m_runPipeline);
    toolbar->addAction(m_runFineTune);
    toolbar->addAction(m_cancelPipeline);
    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* reload = view->addAction(tr("&Refresh"), this, &MainWindow::refresh);
    reload->setObjectName("refreshAction");
    reload->setIcon(studioIcon(StudioIcon::Refresh));
    reload->setShortcut(QKeySequence::Refresh);
    QAction* showLog = m_logDock->toggleViewAction();
    showLog->setText(tr("&Log Console"));
    showLog->setShortcut(QKeySequence(tr("Ctrl+L")));
    view->addAction(showLog);
    QMenu* settings = menuBar()->addMenu(tr("&Settings"));
    QAction* targets = settings->addAction(tr("&Targets…"), this, [this] {
        TargetsDialog dialog(m_localCli, m_workspace, this);
        dialog.exec();
        if (m_trainPage) m_trainPage->listTargets();
    });
    targets->setObjectName("targetsAction");
    QMenu* looks = settings->addMenu(tr("&Appearance"));
    auto* looksGroup = new QActionGroup(this);
    for (const QString& appearance : appearances()) {
        QAction* choice = looks->addAction(appearanceName(appearance));
        choice->setObjectName("appearance-" + appearance);
        choice->setCheckable(true);
        choice->setChecked(appearance == savedAppearance());
        looksGroup->addAction(choice);
        connect(choice, &QAction::triggered, this, [appearance] { applyAppearance(appearance); });
    }
    QMenu* languages = settings->addMenu(tr("&Language"));
    auto* group = new QActionGroup(this);
    const QString current = QSettings().value("ui/language").toString();
    for (const QString& code : availableLanguages()) {
        QAction* choice = languages->addAction(languageName(code));
        choice->setCheckable(true);
        choice->setChecked(code == current);
        group->addAction(choice);
        connect(choice, &QAction::triggered, this, [this, code] {
            QSettings().setValue("ui/language", code);
            statusBar()->showMessage(tr("The language changes when Strata starts again."), 10000);
        });
    }
}

bool MainWindow::openWorkspace(const fs::path& workspace) {
    std::unique_ptr<store::RunHistory> history;
    std::unique_ptr<LabelingPage> labelingPage;
    std::unique_ptr<HomePage> homePage;
    try {
        fs::create_directories(workspace);
        history = std::make_unique<store::RunHistory>(common::historyFile(workspace));
        labelingPage =
            std::make_unique<LabelingPage>(common::historyFile(workspace), workspace, m_localCli);
        homePage = std::make_unique<HomePage>(*history, workspace);
    } catch (const std::exception& error) {
        m_errors.report(
            tr("Cannot open the workspace %1: %2")
                .arg(QString::fromStdString(workspace.string()), QString::fromUtf8(error.what())));
        return false;
    }
    if (m_history) saveLayout();
    // The pages hold references to the old history: they go first. (A run a page follows goes
    // on; reopening its workspace shows it again. What a page still does in the background ends
    // on its own: nothing here waits for it.)
    delete m_pipeline;  // a pipeline under way ends with its pages
    m_pipeline = nullptr;
    m_fineTune->cancel();  // finished follows, on the new workspace's pages
    showPipelineIdle();
    for (QWidget* page :
         {static_cast<QWidget*>(m_homePage), static_cast<QWidget*>(m_dataPage),
          static_cast<QWidget*>(m_tokenizerPage), static_cast<QWidget*>(m_modelPage),
          static_cast<QWidget*>(m_trainPage), static_cast<QWidget*>(m_labelingPage),
          static_cast<QWidget*>(m_runsPage), static_cast<QWidget*>(m_playgroundPage)})
        if (page) {
            m_pages->removeWidget(page);
            delete page;
        }
    m_pageList->clear();
    m_history = std::move(history);
    m_runCatalog = std::make_unique<store::LocalRunCatalog>(*m_history, workspace);
    m_workspace = workspace;
    m_homePage = homePage.release();
    m_dataPage = new DataPage(workspace, m_localCli);
    m_tokenizerPage = new TokenizerPage(workspace, m_localCli);
    m_modelPage = new ModelPage(workspace);
    m_trainPage = new TrainPage(*m_history, workspace, m_localCli);
    m_labelingPage = labelingPage.release();
    m_runsPage = new RunsPage(*m_runCatalog);
    m_playgroundPage = new PlaygroundPage(*m_history, workspace, m_localCli);
    connect(m_trainPage, &TrainPage::historyChanged, this, &MainWindow::refresh);
    // The Home page asks; the pages that own each step do it.
    connect(m_homePage, &HomePage::pageRequested, this,
            [this](StudioPage page) { showPage(pageWidget(page)); });
    connect(m_homePage, &HomePage::newConfigRequested, this,
            [this](const QString& stage, const QMap<QString, QString>& values) {
                showPage(m_trainPage);
                std::map<std::string, QString> set;
                for (auto value = values.begin(); value != values.end(); ++value)
                    set[value.key().toStdString()] = value.value();
                m_trainPage->openNewConfig(stage, set);
            });
    // The Labeling page's own flow: a snapshot of the labels, whose rewardDataReady opens the
    // reward config; without labels to snapshot, the Labeling page says why.
    connect(m_homePage, &HomePage::fineTuneRequested, this,
            [this](const QMap<QString, QString>& values) {
                fineTune(values.value("init.model"), values);
            });
    connect(m_modelPage, &ModelPage::fineTuneRequested, this,
            [this](const QString& folder) { fineTune(folder); });
    connect(m_modelPage, &ModelPage::importRequested, this, [this] { importModel(); });
    connect(m_runsPage, &RunsPage::exportRequested, this, &MainWindow::exportRun);
    connect(
        m_playgroundPage, &PlaygroundPage::exportRequested, this,
        [this](const QString& checkpoint, const QString& name) { exportModel(checkpoint, name); });
    connect(m_homePage, &HomePage::rewardModelRequested, this, [this] {
        if (!m_labelingPage->snapshotForRewardModel()) showPage(m_labelingPage);
    });
    connect(m_homePage, &HomePage::runRequested, this, [this](qint64 runId) {
        m_trainPage->showRun(runId);
        showPage(m_trainPage);
    });
    connect(m_homePage, &HomePage::samplePipelineRequested, this, &MainWindow::runSamplePipeline);
    connect(m_homePage, &HomePage::fineTuneSampleRequested, this, &MainWindow::runFineTuneSample);
    // The empty pages' way to where what fills them starts.
    connect(m_runsPage, &RunsPage::pipelineRequested, this, [this] { showPage(m_homePage); });
    connect(m_playgroundPage, &PlaygroundPage::pipelineRequested, this,
            [this] { showPage(m_homePage); });
    connect(m_labelingPage, &LabelingPage::rewardDataReady, this, [this](const QString& path) {
        m_pageList->setCurrentRow(m_pages->indexOf(m_trainPage) - 1);
        m_trainPage->openNewConfig("reward", {{"data.train", path}});
    });
    connect(m_runsPage, &RunsPage::runActivated, this, [this](qint64 runId) {
        m_trainPage->showRun(runId);
        m_pageList->setCurrentRow(m_pages->indexOf(m_trainPage) - 1);
    });
    m_pipeline = new SamplePipeline(workspace, m_localCli, *m_dataPage, *m_tokenizerPage,
                                    *m_trainPage, this);
    connect(m_pipeline, &SamplePipeline::stageStarted, this,
            [this](int index, const QString& name, QWidget* page) {
                m_pipelineStage->setText(tr("Sample pipeline: %1").arg(name));
                m_pipelineProgress->setValue(index);
                if (page) m_pageList->setCurrentRow(m_pages->indexOf(page) - 1);
            });
    connect(m_pipeline, &SamplePipeline::finished, this, [this](bool, const QString& message) {
        showPipelineIdle();
        statusBar()->showMessage(message);
        refresh();
    });
    m_pages->addWidget(m_homePage);
    m_pages->addWidget(m_dataPage);
    m_pages->addWidget(m_tokenizerPage);
    m_pages->addWidget(m_modelPage);
    m_pages->addWidget(m_trainPage);
    m_pages->addWidget(m_labelingPage);
    m_pages->addWidget(m_runsPage);
    m_pages->addWidget(m_playgroundPage);
    const std::pair<QString, StudioIcon> pages[] = {
        {tr("Home"), StudioIcon::Home},           {tr("Data"), StudioIcon::Data},
        {tr("Tokenizer"), StudioIcon::Tokenizer}, {tr("Model"), StudioIcon::Model},
        {tr("Train"), StudioIcon::Train},         {tr("Labeling"), StudioIcon::Labeling},
        {tr("Runs"), StudioIcon::Runs},           {tr("Playground"), StudioIcon::Playground}};
    for (const auto& [name, icon] : pages)
        new QListWidgetItem(studioIcon(icon), name, m_pageList);
    m_pageList->setCurrentRow(0);  // Home
    restoreSplitters();
    m_banner->hide();
    setWindowTitle(tr("Strata — %1").arg(QString::fromStdString(workspace.string())));
    m_log->setWorkspace(workspace);
    spdlog::info("opened the workspace {}", workspace.string());
    QSettings().setValue("workspace/last", QString::fromStdString(workspace.string()));
    refresh();
    return true;
}

void MainWindow::runSamplePipeline() {
    if (!m_pipeline || samplesRunning()) return;
    m_runPipeline->setEnabled(false);
    m_runFineTune->setEnabled(false);
    m_cancelPipeline->setEnabled(true);
    if (m_homePage) m_homePage->setSamplesRunning(true);
    m_pipelineProgress->setRange(0, SamplePipeline::kStages);
    m_pipelineProgress->setValue(0);
    m_pipelineProgress->show();
    if (!m_errors.run([this] { m_pipeline->start(); })) showPipelineIdle();
}

void MainWindow::runFineTuneSample() {
    if (!m_history || samplesRunning()) return;
    m_runPipeline->setEnabled(false);
    m_runFineTune->setEnabled(false);
    m_cancelPipeline->setEnabled(true);
    if (m_homePage) m_homePage->setSamplesRunning(true);
    m_pipelineStage->setText(tr("Fine-tune sample: starting…"));
    m_pipelineProgress->setRange(0, 0);  // busy until a stage reports its progress
    m_pipelineProgress->show();
    m_fineTune->start(
        {"demo", "finetune", "--workspace", QString::fromStdString(m_workspace.string())});
}

ImportModelDialog* MainWindow::importModel() {
    if (!m_history) return nullptr;
    auto* dialog = new ImportModelDialog(m_localCli, m_workspace, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ImportModelDialog::imported, this, [this](const QString& folder) {
        statusBar()->showMessage(tr("Imported %1").arg(folder), 10000);
        modelsChanged();
    });
    dialog->show();
    return dialog;
}

void MainWindow::modelsChanged() {
    if (!m_history) return;
    m_homePage->reload();
    m_modelPage->reloadModels();
    m_playgroundPage->reload();
}

FineTuneDialog* MainWindow::fineTune(const QString& model, const QMap<QString, QString>& values) {
    if (!m_history) return nullptr;
    auto* dialog = new FineTuneDialog(m_workspace, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!model.isEmpty()) dialog->setModel(model);
    if (values.contains("data.train")) dialog->setDataset(values.value("data.train"));
    connect(dialog, &FineTuneDialog::saved, this, [this](const QString& path) {
        m_trainPage->setConfigPath(path);
        showPage(m_trainPage);
        statusBar()->showMessage(tr("Saved %1: start it on the Train page").arg(path), 10000);
    });
    dialog->show();
    return dialog;
}

ExportModelDialog* MainWindow::exportModel(const QString& checkpoint, const QString& name) {
    if (!m_history) return nullptr;
    auto* dialog = new ExportModelDialog(m_localCli, m_workspace, checkpoint, name, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ExportModelDialog::exported, this, [this](const QString& path) {
        statusBar()->showMessage(tr("Exported %1").arg(path), 10000);
    });
    dialog->show();
    return dialog;
}

void MainWindow::exportRun(qint64 runId) {
    std::vector<CheckpointChoice> choices;
    if (!m_errors.run([&] { choices = listCheckpoints(*m_history, m_workspace); },
                      tr("Cannot read the run history: %1")))
        return;
    // Newest checkpoint of each run first.
    const QString source = QString("run:%1/").arg(runId);
    for (const CheckpointChoice& choice : choices) {
        if (!choice.source.startsWith(source)) continue;
        if (choice.host != "local") {
            statusBar()->showMessage(
                tr("The run's checkpoints are on %1: export them there with strata-cli export")
                    .arg(choice.host),
                10000);
            return;
        }
        exportModel(choice.path, exportName(choice));
        return;
    }
    statusBar()->showMessage(tr("This run has no checkpoint to export yet"), 10000);
}

bool MainWindow::samplesRunning() const {
    return (m_pipeline && m_pipeline->running()) || m_fineTune->running();
}

void MainWindow::showPipelineIdle() {
    m_pipelineStage->clear();
    m_pipelineProgress->hide();
    m_runPipeline->setEnabled(true);
    m_runFineTune->setEnabled(true);
    m_cancelPipeline->setEnabled(false);
    if (m_homePage) m_homePage->setSamplesRunning(false);
}

QWidget* MainWindow::pageWidget(StudioPage page) const {
    switch (page) {
        case StudioPage::Home:
            return m_homePage;
        case StudioPage::Data:
            return m_dataPage;
        case StudioPage::Tokenizer:
            return m_tokenizerPage;
        case StudioPage::Model:
            return m_modelPage;
        case StudioPage::Train:
            return m_trainPage;
        case StudioPage::Labeling:
            return m_labelingPage;
        case StudioPage::Runs:
            return m_runsPage;
        case StudioPage::Playground:
            return m_playgroundPage;
    }
    return m_homePage;
}

// The page list drives the stack; its rows are the stack's pages after the no-workspace text.
void MainWindow::showPage(QWidget* page) {
    m_pageList->setCurrentRow(m_pages->indexOf(page) - 1);
}

QString MainWindow::errorText() const {
    return m_banner->isHidden() ? QString() : m_banner->text();
}

void MainWindow::reportError(const QString& message) {
    m_errors.report(message);
}

void MainWindow::chooseWorkspace() {
    QString folder = QFileDialog::getExistingDirectory(
        this, tr("Open Workspace"), QString::fromStdString(m_workspace.string()));
    if (!folder.isEmpty()) openWorkspace(folder.toStdString());
}

RemoteWorkspaceWindow* MainWindow::openRemoteWorkspace(const QString& url) {
    proto::WorkerTarget target;
    if (!m_errors.run([&] { target = resolveRemoteWorkspace(url); },
                      tr("Cannot open the remote workspace: %1")))
        return nullptr;
    auto* window = new RemoteWorkspaceWindow(target);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->show();
    return window;
}

void MainWindow::chooseRemoteWorkspace() {
    // The saved targets' workspaces first; any ssh://[user@]host[:port]/path may be typed.
    QStringList known;
    for (const SavedTarget& saved : loadTargets())
        if (!saved.target.workspace.empty())
            known << QString::fromStdString(proto::remoteWorkspaceAddress(saved.target));
    if (known.isEmpty()) known << "ssh://";
    bool ok = false;
    const QString url = QInputDialog::getItem(
        this, tr("Open Remote Workspace"),
        tr("The workspace on another host (ssh://[user@]host[:port]/path):"), known, 0, true, &ok);
    if (ok && !url.trimmed().isEmpty()) openRemoteWorkspace(url);
}

void MainWindow::refresh() {
    if (!m_history) return;
    // A hidden page is re-read when it is shown again.
    if (m_homePage->isVisible()) m_homePage->reload();
    if (m_runsPage->isVisible()) m_runsPage->reload();
    if (m_playgroundPage->isVisible()) m_playgroundPage->reload();
    m_errors.run(
        [this] {
            int active = 0, total = 0;
            for (const store::RunRecord& run : m_history->listRuns()) {
                ++total;
                active += !store::hasEnded(run.state);
            }
            m_runCounts->setText(tr("%n run(s)", "", total) + " · " + tr("%n active", "", active));
        },
        tr("Cannot read the run history: %1"));
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    refresh();
    m_refreshTimer->start();
}

void MainWindow::hideEvent(QHideEvent* event) {
    QMainWindow::hideEvent(event);
    m_refreshTimer->stop();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (m_trainPage && m_trainPage->runActive()) {
        QMessageBox question(QMessageBox::Question, tr("A run is active"),
                             tr("A run is still training. Detach from it (it goes on, and the Runs "
                                "page shows it when you come back) or stop it (it saves a "
                                "checkpoint first)?"),
                             QMessageBox::Cancel, this);
        question.setObjectName("quitQuestion");
        QPushButton* detach = question.addButton(tr("Detach"), QMessageBox::AcceptRole);
        QPushButton* stop = question.addButton(tr("Stop the run"), QMessageBox::DestructiveRole);
        detach->setObjectName("detach");
        stop->setObjectName("stop");
        question.exec();
        if (question.clickedButton() == stop) {
            m_trainPage->stopRun();
        } else if (question.clickedButton() != detach) {
            event->ignore();
            return;
        }
    }
    saveLayout();
    event->accept();
}

}  // namespace strata::ui
