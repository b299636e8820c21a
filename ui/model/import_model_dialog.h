// File ▸ Import Model…: a Hugging Face model folder or a GGUF file into the workspace's models/
// under a name, through `strata-cli import SRC -o WORKSPACE/models/NAME` (the studio never loads
// weights in its own process). The name starts as the source's, made a plain folder name; an
// earlier import of that name is replaced, as the command does. When the command succeeds the
// dialog says so and emits imported(), and the window re-reads the pages that list models.
#pragma once

#include "ui/common/cli_job_dialog.h"

#include <filesystem>

class QLineEdit;

namespace strata::ui {

class ImportModelDialog : public CliJobDialog {
    Q_OBJECT

public:
    ImportModelDialog(std::filesystem::path localCli, std::filesystem::path workspace,
                      QWidget* parent = nullptr);

    // The folder or .gguf file to import; the name follows it until it is edited.
    void setSource(const QString& path);
    void setName(const QString& name);
    // Starts the import; false (with the reason shown) when the source or the name will not do.
    bool startImport();

    // A plain folder name from a source path: "SmolLM2-135M-Instruct.Q4_1.gguf" →
    // "smollm2-135m-instruct.q4_1".
    static QString nameFor(const QString& source);

signals:
    // The model folder written (WORKSPACE/models/NAME).
    void imported(const QString& folder);

protected:
    void commandFinished(bool ok, const QString& lastLine) override;

private:
    std::filesystem::path m_workspace;
    QLineEdit* m_source;
    QLineEdit* m_name;
    bool m_nameEdited = false;
    QString m_target;  // the folder the running import writes
};

}  // namespace strata::ui
