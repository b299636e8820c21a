// One side of the Playground: a checkpoint picker (the history's checkpoints, or a model folder
// on this machine) and the text it generates, streamed in as it is sampled, with its speed.
#pragma once

#include "core/proto/protocol.h"
#include "core/proto/worker_target.h"
#include "ui/common/background_threads.h"
#include "ui/common/checkpoint_choices.h"

#include <QWidget>

#include <filesystem>
#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QPushButton;
class QTextEdit;

namespace strata::ui {

class GenerationSession;

class PlaygroundPane : public QWidget {
    Q_OBJECT

public:
    // `localCli` and `workspace`: how a worker on this machine is started.
    PlaygroundPane(const QString& name, std::filesystem::path localCli,
                   std::filesystem::path workspace, QWidget* parent = nullptr);
    ~PlaygroundPane() override;

    // The checkpoints are a workspace's on another host: its worker generates from every one,
    // and the folder picker and Export…, which are this machine's, are hidden.
    void setRemoteWorkspace(proto::WorkerTarget workspace);

    // The history's checkpoints; folders picked here stay listed after them.
    void setChoices(const std::vector<CheckpointChoice>& choices);
    // Asks for a model folder on this machine (starting in the workspace's models/) and lists and
    // selects it after the history's checkpoints, as addFolder does.
    void pickFolder();
    void addFolder(const QString& folder);
    void selectChoice(int index);
    std::optional<CheckpointChoice> choice() const;

    // Shows `prompt` and streams the checkpoint's continuation of it under it. A chat keeps the
    // conversation: each prompt is asked after the earlier turns (rendered through the model's
    // chat template), until clearConversation() or another model is chosen.
    void generate(const QString& prompt, const model_spec::SamplingOptions& sampling, bool chat);
    void clearConversation();
    const std::vector<proto::ChatTurn>& conversation() const { return m_conversation; }
    void cancel();
    // True from generate() until its last signal has reached this pane.
    bool running() const;
    // The generated text so far, without the prompt.
    QString generatedText() const { return m_generated; }
    QString statusText() const;
    // Puts `text` in the status line under the text.
    void showStatus(const QString& text);

signals:
    void finished();
    void choiceChanged();
    // Export…: the chosen model folder (on this machine) as a Hugging Face folder or GGUF file.
    void exportRequested(const QString& checkpoint, const QString& name);

private:
    void relist();
    void updateExport();
    void end(const QString& error);

    std::filesystem::path m_localCli;
    std::filesystem::path m_workspace;
    std::optional<proto::WorkerTarget> m_remoteWorkspace;
    std::vector<CheckpointChoice> m_historyChoices;
    std::vector<CheckpointChoice> m_folderChoices;
    std::vector<CheckpointChoice> m_listed;
    QComboBox* m_checkpoint;
    QPushButton* m_browse;
    QPushButton* m_export;
    QTextEdit* m_output;
    QLabel* m_status;
    SessionPtr<GenerationSession> m_session;
    QString m_generated;
    std::vector<proto::ChatTurn> m_conversation;  // the chat's earlier turns
    QString m_asked;                              // the chat prompt being answered
    bool m_busy = false;
};

}  // namespace strata::ui
