// The Tokenizer page: pick one of the workspace's tokenizers (or import a Hugging Face
// tokenizer.json into it), type text and see it as colored tokens with their ids and the
// compression (bytes and characters per token), browse the vocabulary, and train a new tokenizer
// on a corpus: `strata-cli tokenizer train` in a child process, its progress lines shown as they
// come, so a failing or slow training never takes the window with it. The workspace may be on
// another host: its tokenizers are read and written, and the training run, there
// (store::WorkspaceFiles, WorkspaceJob). Files that cannot be read or written are said in the
// page's message line. Until a tokenizer is loaded, what the page is
// for and how to get one shows in place of the tabs.
#pragma once

#include "core/tokenizer/tokenizer.h"
#include "ui/common/error_reporter.h"

#include <QWidget>

#include <filesystem>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QSortFilterProxyModel;
class QTableView;

namespace strata::store {
class WorkspaceFiles;
}

namespace strata::widgets {
class EmptyState;
class TokenView;
}  // namespace strata::widgets

namespace strata::ui {

class WorkspaceJob;
class VocabularyModel;

class TokenizerPage : public QWidget {
    Q_OBJECT

public:
    // A page on the workspace `files` reaches, whose tokenizer training `job` runs.
    TokenizerPage(std::shared_ptr<store::WorkspaceFiles> files, std::unique_ptr<WorkspaceJob> job,
                  QWidget* parent = nullptr);
    // A page on a workspace of this machine, training with the strata-cli `localCli`.
    TokenizerPage(const std::filesystem::path& workspace, const std::filesystem::path& localCli,
                  QWidget* parent = nullptr);
    ~TokenizerPage() override;

    // Loads a tokenizer.json of the workspace (or, here, any of this machine's); false (with the
    // reason shown) when it cannot be used.
    bool loadTokenizer(const QString& path);
    // Checks that the file `path` of this machine loads, then copies it to
    // WORKSPACE/tokenizers/<name>/tokenizer.json.
    bool importTokenizer(const QString& path, const QString& name);
    // Starts `strata-cli tokenizer train` on `input` into WORKSPACE/tokenizers/<name>/;
    // trainingFinished follows. False (with the reason shown) when it cannot start.
    bool trainTokenizer(const QString& input, const QString& name, int vocabSize);
    void cancelTraining();
    // The line at the bottom: training progress, or why something failed.
    QString message() const;
    // Re-reads the workspace's tokenizers into the chooser.
    void listTokenizers();

signals:
    void trainingFinished(bool succeeded);

protected:
    void showEvent(QShowEvent* event) override;

private:
    // The workspace's tokenizers, the first of them loaded.
    void readWorkspace();
    void retokenize();
    void report(const QString& message);
    // The tabs once a tokenizer is loaded or training is asked for; the placeholder before.
    void updateEmpty();

    std::shared_ptr<store::WorkspaceFiles> m_files;
    std::unique_ptr<tokenizer::Tokenizer> m_tokenizer;
    QComboBox* m_chooser;
    QPlainTextEdit* m_input;
    widgets::TokenView* m_view;
    QLineEdit* m_ids;
    QLabel* m_stats;
    QLabel* m_message;
    VocabularyModel* m_vocabulary;
    QSortFilterProxyModel* m_vocabularyFilter;
    QLineEdit* m_trainInput;
    QLineEdit* m_trainName;
    QSpinBox* m_vocabSize;
    QPushButton* m_train;
    WorkspaceJob* m_training;
    widgets::EmptyState* m_empty = nullptr;  // the tabs, or what the page is for
    bool m_trainingAsked = false;            // the placeholder's Train button was pressed
    ErrorReporter m_errors;                  // into the message line
    bool m_workspaceRead = false;
};

}  // namespace strata::ui
