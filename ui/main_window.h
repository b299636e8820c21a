// The studio's main window: a page list on the left (one page per area), the pages in a stack,
// the workspace in the title and the status bar. It owns the workspace's run history connection
// and hands it to the pages. A workspace that cannot be opened (a missing folder that cannot be
// made, a database from a newer Strata, a file that is not a database) is reported in a banner
// in the window and the previous workspace stays open, as is a run history that stops reading
// while the pages refresh; the pages say their own errors in their own message lines. While the
// window is shown, the history is re-read every two seconds for the run counts and the page shown
// (a hidden page re-reads when it is shown again). A workspace opens on the Home page, the first;
// what its buttons ask for is done here, on the page that owns it.
// Quitting while a run is followed asks whether to detach from it (it goes on) or stop it;
// neither quitting nor switching workspace waits for a page's background work.
#pragma once

#include "core/store/run_catalog.h"
#include "ui/common/error_reporter.h"
#include "ui/home/pipeline_state.h"

#include <QMainWindow>

#include <filesystem>
#include <memory>

class QDockWidget;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QStackedWidget;
class QTimer;

namespace strata::ui {

class CliJob;
class DataPage;
class RemoteWorkspaceWindow;
class ExportModelDialog;
class FineTuneDialog;
class ImportModelDialog;
class HomePage;
class LabelingPage;
class ModelPage;
class PlaygroundPage;
class TokenizerPage;
class RunsPage;
class SamplePipeline;
class StudioLog;
class TrainPage;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    // `localCli`: the strata-cli that local workers run as (beside the studio's executable).
    explicit MainWindow(std::filesystem::path localCli, QWidget* parent = nullptr);
    ~MainWindow() override;

    // True when the workspace opened; otherwise the banner says why.
    bool openWorkspace(const std::filesystem::path& workspace);
    // A workspace of another host, ssh://[user@]host[:port]/path, in a window of its own
    // (RemoteWorkspaceWindow); nullptr, with the reason in the banner, when the text is not one.
    RemoteWorkspaceWindow* openRemoteWorkspace(const QString& url);
    const std::filesystem::path& workspace() const { return m_workspace; }
    QString errorText() const;
    // Shows `message` in the banner and writes it to the studio log (the application's last
    // resort hands here what escaped a handler).
    void reportError(const QString& message);
    // Runs clean → tokenizer → shards → pretraining on the sample workspace's data, stage by
    // stage on the pages (see SamplePipeline).
    void runSamplePipeline();
    SamplePipeline* samplePipeline() const { return m_pipeline; }
    // Runs `strata-cli demo finetune` on the workspace: the imported model measured on held-out
    // sample tasks, fine-tuned with LoRA SFT and then GRPO, measured after each stage; its lines
    // show in the status bar and the log.
    void runFineTuneSample();
    // File ▸ Import Model…: a Hugging Face folder or GGUF file into models/ (ImportModelDialog);
    // when it is done, the pages that list models re-read them.
    ImportModelDialog* importModel();
    // Fine-tune…: a run config for a model of the workspace (FineTuneDialog), with `model`
    // chosen and the keys of `values` (init.model, data.train) preset; once saved it is the Train
    // page's config and the Train page is shown.
    FineTuneDialog* fineTune(const QString& model, const QMap<QString, QString>& values = {});
    // Export…: a model folder as a Hugging Face folder or GGUF file (ExportModelDialog).
    ExportModelDialog* exportModel(const QString& checkpoint, const QString& name);

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void buildMenus();
    void chooseWorkspace();
    void chooseRemoteWorkspace();
    void refresh();
    void showPipelineIdle();
    // A model was imported: the pages that list models re-read them.
    void modelsChanged();
    // The latest checkpoint of a run on this machine, through Export….
    void exportRun(qint64 runId);
    bool samplesRunning() const;
    QWidget* pageWidget(StudioPage page) const;
    void showPage(QWidget* page);
    // The window's geometry, docks and toolbars, and every named splitter of the pages
    // ("splitters/<objectName>"), kept in the settings.
    void saveLayout();
    void restoreSplitters();

    std::filesystem::path m_localCli;
    std::filesystem::path m_workspace;
    std::unique_ptr<store::RunHistory> m_history;
    std::unique_ptr<store::LocalRunCatalog> m_runCatalog;  // the Runs page's, over m_history
    QListWidget* m_pageList;
    QStackedWidget* m_pages;
    QLabel* m_banner;
    QLabel* m_emptyState;
    QLabel* m_runCounts;
    HomePage* m_homePage = nullptr;
    DataPage* m_dataPage = nullptr;
    TokenizerPage* m_tokenizerPage = nullptr;
    ModelPage* m_modelPage = nullptr;
    TrainPage* m_trainPage = nullptr;
    LabelingPage* m_labelingPage = nullptr;
    RunsPage* m_runsPage = nullptr;
    PlaygroundPage* m_playgroundPage = nullptr;
    QTimer* m_refreshTimer;
    QPlainTextEdit* m_logConsole;
    QDockWidget* m_logDock = nullptr;
    std::unique_ptr<StudioLog> m_log;
    SamplePipeline* m_pipeline = nullptr;
    CliJob* m_fineTune = nullptr;  // the fine-tune sample, while it runs
    QLabel* m_pipelineStage;
    QProgressBar* m_pipelineProgress;
    QAction* m_runPipeline = nullptr;
    QAction* m_runFineTune = nullptr;
    QAction* m_cancelPipeline = nullptr;
    ErrorReporter m_errors;  // into the banner
};

}  // namespace strata::ui
