#include "ui/remote_workspace_window.h"

#include "core/proto/offline_label_queue.h"
#include "core/proto/remote_label_queue.h"
#include "core/proto/worker_connection.h"
#include "ui/common/icons.h"
#include "ui/labeling/labeling_page.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>

#include <spdlog/spdlog.h>

namespace strata::ui {

namespace {

constexpr int kLongestRetrySeconds = 60;

}  // namespace

RemoteWorkspaceWindow::RemoteWorkspaceWindow(const proto::WorkerTarget& target, QWidget* parent)
    : QMainWindow(parent),
      m_target(target),
      m_pageList(new QListWidget),
      m_pages(new QStackedWidget),
      m_connection(new QLabel),
      m_status(new QTimer(this)),
      m_retry(new QTimer(this)) {
    const QString where = QString::fromStdString(proto::remoteWorkspaceAddress(target));
    setWindowTitle(tr("Strata — %1").arg(where));
    auto queue = std::make_unique<proto::OfflineLabelQueue>(
        std::make_unique<proto::RemoteLabelQueue>(target), proto::keptLabelsFile(target));
    m_queue = queue.get();
    m_labelingPage = new LabelingPage(std::move(queue));

    const std::pair<QString, StudioIcon> pages[] = {
        {tr("Home"), StudioIcon::Home},           {tr("Data"), StudioIcon::Data},
        {tr("Tokenizer"), StudioIcon::Tokenizer}, {tr("Model"), StudioIcon::Model},
        {tr("Train"), StudioIcon::Train},         {tr("Labeling"), StudioIcon::Labeling},
        {tr("Runs"), StudioIcon::Runs},           {tr("Playground"), StudioIcon::Playground}};
    for (const auto& [name, icon] : pages) {
        new QListWidgetItem(studioIcon(icon), name, m_pageList);
        if (icon == StudioIcon::Labeling) {
            m_pages->addWidget(m_labelingPage);
            continue;
        }
        auto* notYet = new QLabel(
            tr("<h3>%1</h3><p>This page works on a workspace of this machine for now. On %2, the "
               "Labeling page works as your SSH login; for the rest, run <tt>strata-cli</tt> on "
               "the host, or open the workspace there.</p>")
                .arg(name, where.toHtmlEscaped()));
        notYet->setObjectName("remoteNotYet");
        notYet->setWordWrap(true);
        notYet->setAlignment(Qt::AlignCenter);
        notYet->setMargin(40);
        m_pages->addWidget(notYet);
    }
    connect(m_pageList, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
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
    m_status->start(1000);
    spdlog::info("opened the remote workspace {}", where.toStdString());
    showConnection();
    resize(1200, 800);
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
