// A workspace on another host (ssh://[user@]host[:port]/path), opened with `strata --workspace
// ssh://...` or File ▸ Open Remote Workspace…. The host's worker, reached over SSH with the
// saved target's key (or ssh's own config), is the only process that opens the workspace's
// database; this window keeps no copy of it. The Labeling page works on the host's queue as the
// SSH login, its labels kept on this machine while the host cannot be reached, and generates
// pairs there from the host's checkpoints; the status bar
// says so, and the window tries the host again with a growing wait (2 s to a minute) until
// they are all there. The Runs page reviews the host's run history (re-read every few seconds
// while shown), its comments written as the SSH login; the Train page starts runs there, by the
// host's worker, and follows, pauses and stops them; the Playground generates there from the
// history's checkpoints; the Data and Tokenizer pages read and write the workspace's files there
// and run their cleaning and tokenizer training there as jobs that outlive the connection; the
// Model page is the architecture form alone, saying that the host's models are listed where the
// workspace is; the Home page draws the host's pipeline, its buttons leading to these pages.
#pragma once

#include "core/proto/worker_target.h"

#include <QMainWindow>

#include <memory>

class QLabel;
class QListWidget;
class QStackedWidget;
class QTimer;

namespace strata::proto {
class OfflineLabelQueue;
class RemoteRunCatalog;
}  // namespace strata::proto

namespace strata::ui {

class DataPage;
class HomePage;
class LabelingPage;
class TokenizerPage;
class PlaygroundPage;
class RunsPage;
class TrainPage;

class RemoteWorkspaceWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit RemoteWorkspaceWindow(const proto::WorkerTarget& target, QWidget* parent = nullptr);

    ~RemoteWorkspaceWindow() override;

    LabelingPage* labelingPage() const { return m_labelingPage; }
    RunsPage* runsPage() const { return m_runsPage; }
    TrainPage* trainPage() const { return m_trainPage; }
    PlaygroundPage* playgroundPage() const { return m_playgroundPage; }
    HomePage* homePage() const { return m_homePage; }
    DataPage* dataPage() const { return m_dataPage; }
    TokenizerPage* tokenizerPage() const { return m_tokenizerPage; }
    // Shows one of the pages.
    void showPage(QWidget* page);
    // What the status bar says of the host: reached as whom, or how many labels wait for it.
    QString connectionText() const;
    // Sends the labels kept here if the host answers; schedules the next try if it does not.
    void retryHost();

private:
    void showConnection();

    proto::WorkerTarget m_target;
    proto::OfflineLabelQueue* m_queue;  // the Labeling page's
    LabelingPage* m_labelingPage;
    std::unique_ptr<proto::RemoteRunCatalog> m_runCatalog;  // the pages' run history
    RunsPage* m_runsPage;
    TrainPage* m_trainPage;
    PlaygroundPage* m_playgroundPage;
    HomePage* m_homePage;
    DataPage* m_dataPage;  // these three share the host's files
    TokenizerPage* m_tokenizerPage;
    QListWidget* m_pageList;
    QStackedWidget* m_pages;
    QLabel* m_connection;
    QTimer* m_status;  // reads the queue's state, which the page's work changes
    QTimer* m_retry;
    QTimer* m_runsRefresh;  // while the Runs page is shown
    int m_retrySeconds = 2;
};

}  // namespace strata::ui
