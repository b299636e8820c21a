// The Data page: a dataset's raw sources (files and folders), its cleaning settings as a form
// with every stage and threshold (built from `strata-cli clean`'s own commented defaults), a
// preview of what the settings do to sampled documents (before and after, removed ones with
// their reason), and the cleaning run itself: `strata-cli clean` in a child process with a
// progress bar, its funnel drawn as a chart when it ends. A dataset lives in
// WORKSPACE/datasets/<name>/: sources.txt, clean.jsonl.zst, funnel.json, rejected.jsonl.zst.
// The workspace may be on another host: its files are read and written, the preview sampled and
// the cleaning run there (store::WorkspaceFiles, WorkspaceJob), and the sources are its files.
// Files that cannot be read or written are said in the page's message line. Before a preview or
// a funnel, what the page is for and how to start shows in place of the preview and funnel tabs.
#pragma once

#include "core/cleaning/clean_preview.h"
#include "ui/common/background_threads.h"
#include "ui/common/error_reporter.h"

#include <QWidget>

#include <filesystem>
#include <memory>
#include <vector>

class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableWidget;

namespace strata::store {
class WorkspaceFiles;
}

namespace strata::widgets {
class ConfigForm;
class EmptyState;
class FunnelChart;
class PairCompare;
}  // namespace strata::widgets

namespace strata::ui {

class WorkspaceJob;

class DataPage : public QWidget {
    Q_OBJECT

public:
    // A page on the workspace `files` reaches, whose cleaning `job` runs.
    DataPage(std::shared_ptr<store::WorkspaceFiles> files, std::unique_ptr<WorkspaceJob> job,
             QWidget* parent = nullptr);
    // A page on a workspace of this machine, cleaning with the strata-cli `localCli`.
    DataPage(const std::filesystem::path& workspace, const std::filesystem::path& localCli,
             QWidget* parent = nullptr);
    // A preview still sampling finishes on its own (see SessionPtr); a cleaning run here is
    // killed, one on a host goes on there.
    ~DataPage() override;

    void addSource(const QString& path);
    QStringList sources() const;
    // Reads a clean config into the form; false (with the reason shown) when it cannot.
    bool loadConfig(const QString& path);
    // The form as clean config text; throws common::Error naming the key of an invalid value.
    std::string configText() const;
    // Samples the sources in the background; previewReady follows.
    void preview();
    // Saves the form to the config file and starts `strata-cli clean`; cleaningFinished follows.
    void runCleaning();
    bool running() const;
    // Kills a cleaning run; nothing of it is kept.
    void cancelCleaning();
    // Shows WORKSPACE/datasets/<name>: its sources and its last funnel.
    void setDataset(const QString& name);
    // Draws the funnel of a report; false when there is none.
    bool showFunnel(const QString& reportPath);
    QString message() const;
    widgets::ConfigForm* form() const { return m_form; }
    widgets::FunnelChart* funnel() const { return m_funnel; }

signals:
    void previewReady(int documents);
    void cleaningFinished(bool succeeded);

protected:
    void showEvent(QShowEvent* event) override;

private:
    // The dataset shown first, the settings file and the dataset's sources and funnel.
    void readWorkspace();
    // WORKSPACE/datasets/<name>, as the workspace's files name it.
    std::string datasetFolder() const;
    // The form as clean config text (into `text`) and as the config it reads back to; throws
    // common::Error naming the key of an invalid value.
    cleaning::CleanConfig readForm(std::string& text) const;
    void openDataset();
    void showPreview(const std::vector<cleaning::PreviewDocument>& documents);
    void report(const QString& message);

    std::shared_ptr<store::WorkspaceFiles> m_files;
    QLineEdit* m_dataset;
    QListWidget* m_sources;
    QLineEdit* m_configPath;
    widgets::ConfigForm* m_form;
    QTabWidget* m_tabs;
    QTableWidget* m_previewTable;
    widgets::PairCompare* m_beforeAfter;
    widgets::FunnelChart* m_funnel;
    QPushButton* m_previewButton;
    QPushButton* m_run;
    QProgressBar* m_progress;
    QLabel* m_message;
    WorkspaceJob* m_cleaning;
    widgets::EmptyState* m_empty = nullptr;  // the tabs, or what the page is for
    SessionPtr<BackgroundTask> m_sampling;   // the preview under way
    std::vector<cleaning::PreviewDocument> m_preview;
    ErrorReporter m_errors;  // into the message line
    bool m_workspaceRead = false;
};

}  // namespace strata::ui
