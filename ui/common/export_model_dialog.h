// Export…: a model folder (a run's checkpoint, the Playground's model, an import) written where
// other tools run models, through `strata-cli export` (the studio never loads weights in its own
// process): a Hugging Face folder that transformers loads, or one GGUF file for llama.cpp and
// Ollama in f16, bf16 or q8_0, which the command writes with a Modelfile beside it (`ollama
// create NAME -f Modelfile`); the dialog says where that went. The destination starts as
// WORKSPACE/exports/<name> (.gguf for GGUF).
#pragma once

#include "ui/common/cli_job_dialog.h"

#include <filesystem>

class QComboBox;
class QLineEdit;

namespace strata::ui {

class ExportModelDialog : public CliJobDialog {
    Q_OBJECT

public:
    // `checkpoint`: the model folder to export; `name`: what to call the export ("tiny-step-300").
    ExportModelDialog(std::filesystem::path localCli, std::filesystem::path workspace,
                      QString checkpoint, QString name, QWidget* parent = nullptr);

    // "hf" or "gguf"; the destination's default follows the format until it is edited.
    void setFormat(const QString& format);
    // "f16", "bf16" or "q8_0" (GGUF).
    void setType(const QString& type);
    void setDestination(const QString& path);
    QString destination() const;
    // Starts the export; false (with the reason shown) when the destination will not do.
    bool startExport();

    // The GGUF types offered, in order.
    static QStringList ggufTypes();

signals:
    // The folder or file written.
    void exported(const QString& path);

protected:
    void commandFinished(bool ok, const QString& lastLine) override;

private:
    void formatChanged();
    QString defaultDestination() const;

    std::filesystem::path m_workspace;
    QString m_checkpoint;
    QString m_name;
    QComboBox* m_format;
    QComboBox* m_type;
    QLineEdit* m_destination;
    bool m_destinationEdited = false;
    QString m_target;  // what the running export writes
};

}  // namespace strata::ui
