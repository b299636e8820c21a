// The Playground: a prompt, the sampling settings (saved between sessions), and two checkpoints
// side by side continuing the same prompt with the same settings and seed, each streaming token
// by token from a worker on the checkpoint's host. The second side can be switched off. The
// checkpoints are re-read from the history when the page is shown; a history that cannot be read
// is said in both sides' status lines. With no checkpoint and no model folder to choose, what the
// page is for and how to fill it shows in place of the two sides.
#pragma once

#include "core/proto/worker_target.h"
#include "core/store/run_catalog.h"
#include "ui/common/error_reporter.h"

#include <QStringList>
#include <QWidget>

#include <filesystem>

class QCheckBox;
class QPlainTextEdit;
class QPushButton;

namespace strata::widgets {
class EmptyState;
}

namespace strata::ui {

class PlaygroundPane;
class SamplingForm;

class PlaygroundPage : public QWidget {
    Q_OBJECT

public:
    PlaygroundPage(store::RunHistory& history, std::filesystem::path workspace,
                   std::filesystem::path localCli, QWidget* parent = nullptr);
    // A workspace on another host: its history's checkpoints, generated from by its worker.
    PlaygroundPage(store::RunCatalog& runs, proto::WorkerTarget remoteWorkspace,
                   QWidget* parent = nullptr);
    ~PlaygroundPage() override;

    // Re-reads the history's checkpoints into both pickers (the main window calls it while the
    // page is shown; the page calls it itself when it is shown again).
    void reload();
    // Starts both sides (one when comparing is off) on the prompt.
    void generate();
    void stop();
    PlaygroundPane* pane(int side) const { return side == 0 ? m_left : m_right; }

signals:
    // The placeholder's button: the Home page, where the runs that make checkpoints start.
    void pipelineRequested();
    // A side's Export…: its model folder as a Hugging Face folder or GGUF file.
    void exportRequested(const QString& checkpoint, const QString& name);

protected:
    void showEvent(QShowEvent* event) override;

private:
    PlaygroundPage(store::RunHistory* history, store::RunCatalog* remoteRuns,
                   std::filesystem::path workspace, std::filesystem::path localCli,
                   QWidget* parent);
    void updateButtons();
    void saveSettings() const;

    store::RunHistory* m_history;     // a workspace of this machine's; null on a remote one
    store::RunCatalog* m_remoteRuns;  // a remote workspace's history; else null
    std::filesystem::path m_workspace;
    QPlainTextEdit* m_prompt;
    SamplingForm* m_sampling;
    QCheckBox* m_compare;
    QPushButton* m_generate;
    QPushButton* m_stop;
    QPushButton* m_newChat;
    PlaygroundPane* m_left;
    PlaygroundPane* m_right;
    widgets::EmptyState* m_empty = nullptr;  // the two sides, or what the page is for
    QStringList m_listedPaths;               // host:path of each listed checkpoint
    bool m_listedOnce = false;
    ErrorReporter m_errors;  // into both sides' status lines
};

}  // namespace strata::ui
