#include "ui/remote_workspace_window.h"

#include "core/proto/offline_label_queue.h"
#include "core/proto/remote_label_queue.h"
#include "core/proto/remote_run_catalog.h"
#include "core/proto/remote_workspace_files.h"
#include "core/proto/worker_connection.h"
#include "ui/common/icons.h"
#include "ui/common/workspace_job.h"
#include "ui/data/data_page.h"
#include "ui/home/home_page.h"
#include "ui/labeling/labeling_page.h"
#include "ui/model/model_page.h"
#include "ui/playground/playground_page.h"
#include "ui/runs/runs_page.h"
#include "ui/tokenizer/tokenizer_page.h"
#include "ui/train/train_page.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

#include <tuple>

#include <spdlog/spdlog.h>

namespace strata::ui {

namespace {

constexpr int kLongestRetrySeconds = 60;
// How often a shown Runs page re-reads the host's history: each read is a round trip per
// selected run, not a local query.
constexpr int kRunsRefreshMilliseconds = 5000;

}  // namespace

RemoteWorkspaceWindow::RemoteWorkspaceWindow(const proto::WorkerTarget& target, QWidget* parent)
    : QMainWindow(parent),
      m_target(target),
      m_pageList(new QListWidget),
      m_pages(new QStackedWidget),
      m_connection(new QLabel),
      m_status(new QTimer(this)),
      m_retry(new QTimer(this)),
      m_runsRefresh(new QTimer(this)) {
    const QString where = QString::fromStdString(proto::remoteWorkspaceAddress(target));
    setWindowTitle(tr("Strata — %1").arg(where));
    auto queue = std::make_unique<proto::OfflineLabelQueue>(
        std::make_unique<proto::RemoteLabelQueue>(target), proto::keptLabelsFile(target));
    m_queue = queue.get();
    m_runCatalog = std::make_unique<proto::RemoteRunCatalog>(target);
    auto files = std::make_shared<proto::RemoteWorkspaceFiles>(target);
    m_labelingPage = new LabelingPage(std::move(queue), *m_runCatalog, target,
                                      std::make_unique<RemoteWorkspaceJob>(files));
    m_runsPage = new RunsPage(*m_runCatalog);
    m_trainPage = new TrainPage(*m_runCatalog, target);
    m_playgroundPage = new PlaygroundPage(*m_runCatalog, target);
    m_dataPage = new DataPage(files, std::make_unique<RemoteWorkspaceJob>(files));
    m_tokenizerPage = new TokenizerPage(files, std::make_unique<RemoteWorkspaceJob>(files));
    m_homePage = new HomePage(*m_runCatalog, files, [this] { return m_queue->stats().all; });

    // The architecture form needs no workspace; the host's models/ is not listed from here.
    auto* modelPage = new QWidget;
    auto* modelLayout = new QVBoxLayout(modelPage);
    auto* modelNote = new QLabel(
        tr("Designing a model works here. The models of the workspace on %1 (its models/) are "
           "listed, imported and fine-tuned in a studio opened on that host, or with "
           "<tt>strata-cli import</tt> there.")
            .arg(where.toHtmlEscaped()));
    modelNote->setObjectName("remoteNote");
    modelNote->setWordWrap(true);
    modelLayout->addWidget(modelNote);
    modelLayout->addWidget(new ModelPage, 1);

    // In StudioPage's order, as in the main window.
    const std::tuple<QString, StudioIcon, QWidget*> pages[] = {
        {tr("Home"), StudioIcon::Home, m_homePage},
        {tr("Data"), StudioIcon::Data, m_dataPage},
        {tr("Tokenizer"), StudioIcon::Tokenizer, m_tokenizerPage},
        {tr("Model"), StudioIcon::Model, modelPage},
        {tr("Train"), StudioIcon::Train, m_trainPage},
        {tr("Labeling"), StudioIcon::Labeling, m_labelingPage},
        {tr("Runs"), StudioIcon::Runs, m_runsPage},
        {tr("Playground"), StudioIcon::Playground, m_playgroundPage}};
    for (const auto& [name, icon, page] : pages) {
        new QListWidgetItem(studioIcon(icon), name, m_pageList);
        m_pages->addWidget(page);
    }
    connect(m_pageList, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    connect(m_homePage, &HomePage::pageRequested, this,
            [this](StudioPage page) { m_pageList->setCurrentRow(int(page)); });
    // A new run starts on the Train page from a config of this machine; a reward model's from a
    // snapshot of the labels, and a fine-tune, are made in a studio opened on the host.
    connect(m_homePage, &HomePage::newConfigRequested, this, [this] { showPage(m_trainPage); });
    connect(m_homePage, &HomePage::rewardModelRequested, this,
            [this] { showPage(m_labelingPage); });
    connect(m_homePage, &HomePage::fineTuneRequested, this,
            [this, modelPage] { showPage(modelPage); });
    auto showRun = [this](qint64 runId) {
        m_trainPage->showRun(runId);
        showPage(m_trainPage);
    };
    connect(m_runsPage, &RunsPage::runActivated, this, showRun);
    connect(m_homePage, &HomePage::runRequested, this, showRun);
    m_pageList->setCurrentRow(m_pages->indexOf(m_labelingPage));
    m_pageList->setMaximumWidth(180);

    auto* central = new QWidget;
    auto* layout = new QHBoxLayout(central);
    layout->addWidget(m_pageList);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);
    m_connection->setObjectName("connection");
    statusBar()->addWidget(m_connection, 1);
    m_retry->setSingleShot(true);
    connect(m_retry, &QTimer::timeout, this, &RemoteWorkspaceWindow::retryHost);
    connect(m_status, &QTimer::timeout, this, &RemoteWorkspaceWindow::showConnection);
    connect(m_runsRefresh, &QTimer::timeout, this, [this] {
        if (m_runsPage->isVisible()) m_runsPage->reload();
    });
    m_runsRefresh->start(kRunsRefreshMilliseconds);
    m_status->start(1000);
    spdlog::info("opened the remote workspace {}", where.toStdString());
    showConnection();
    resize(1200, 800);
}

// The pages go before the catalog they read.
RemoteWorkspaceWindow::~RemoteWorkspaceWindow() {
    delete m_pages;
}

void RemoteWorkspaceWindow::showPage(QWidget* page) {
    m_pageList->setCurrentRow(m_pages->indexOf(page));
}

QString RemoteWorkspaceWindow::connectionText() const {
    return m_connection->text();
}

void RemoteWorkspaceWindow::retryHost() {
    try {
        m_queue->sendKept();
        m_retrySeconds = 2;
    } catch (const proto::ConnectionLost&) {
        m_retrySeconds = std::min(2 * m_retrySeconds, kLongestRetrySeconds);
    } catch (const std::exception& error) {
        spdlog::warn("sending the kept labels: {}", error.what());
    }
    showConnection();
}

void RemoteWorkspaceWindow::showConnection() {
    const int64_t unsent = m_queue->unsent();
    const QString host = QString::fromStdString(m_target.name());
    if (unsent == 0 && m_queue->reachable()) {
        m_connection->setText(tr("Connected to %1").arg(host));
        return;
    }
    if (!m_retry->isActive()) m_retry->start(m_retrySeconds * 1000);
    m_connection->setText(
        tr("Cannot reach %1: %n label(s) kept here; trying again in %2 s", "", int(unsent))
            .arg(host)
            .arg((m_retry->remainingTime() + 999) / 1000));
}

}  // namespace strata::ui
