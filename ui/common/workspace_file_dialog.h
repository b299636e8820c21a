// Picks files or a folder of a workspace for the Data and Tokenizer pages: the platform's file
// dialog for a workspace on this machine; for one on a host, WorkspaceFileDialog, a list of one
// folder of the workspace that is walked into (double-click) and out of (Up), read through the
// host's worker. Its paths are the workspace's, relative to it.
#pragma once

#include <QDialog>
#include <QStringList>

class QLabel;
class QListWidget;

namespace strata::store {
class WorkspaceFiles;
}

namespace strata::ui {

enum class FileChoice { File, Files, Folder };

// The chosen paths; none when the dialog was cancelled. `filter`: the platform dialog's name
// filter ("Text (*.txt *.jsonl)").
QStringList chooseWorkspacePaths(QWidget* parent, store::WorkspaceFiles& files, FileChoice choice,
                                 const QString& title, const QString& filter = {});

class WorkspaceFileDialog : public QDialog {
    Q_OBJECT

public:
    WorkspaceFileDialog(store::WorkspaceFiles& files, FileChoice choice, const QString& title,
                        QWidget* parent = nullptr);

    // Lists a folder of the workspace ("" is the workspace itself); a folder that cannot be
    // listed leaves the list empty and says why.
    void showFolder(const QString& folder);
    QString folder() const { return m_folder; }
    // The selected files, or the folder shown (Folder); paths relative to the workspace.
    QStringList chosen() const;
    QString message() const;

private:
    QString pathOf(const QString& name) const;

    store::WorkspaceFiles& m_files;
    FileChoice m_choice;
    QString m_folder;
    QLabel* m_where;
    QListWidget* m_entries;
    QLabel* m_message;
};

}  // namespace strata::ui
