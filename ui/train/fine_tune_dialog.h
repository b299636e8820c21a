// Fine-tune…: a run config for fine-tuning a model of the workspace, in one step. Pick a model
// (a folder of models/ with a model.toml, as `strata-cli import` writes it), a stage (SFT, DPO,
// GRPO, reward), what it learns from and whether to train LoRA adapters or every weight; the
// config is written from the stage's defaults (stage_config_file.h) with init.model, data.train
// (and data.val where a task set has its held-out tasks beside it) and the stage's lora keys
// set, for the Train page to start. What a stage learns from is listed from the workspace:
// SFT files (JSONL conversations or prompt/completion examples under datasets/), the labeling
// queue's preferences for DPO and the reward model (snapshotted into datasets/labels/ when the
// config is saved) or earlier snapshots, and task sets (tasks*.jsonl) for GRPO; any JSONL file
// can be browsed to. DPO and the reward model train every weight: their trainers have no LoRA.
#pragma once

#include <QDialog>

#include <filesystem>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace strata::ui {

class FineTuneDialog : public QDialog {
    Q_OBJECT

public:
    explicit FineTuneDialog(std::filesystem::path workspace, QWidget* parent = nullptr);

    // Re-reads models/ and datasets/ into the pickers, keeping what is chosen.
    void relist();
    // Chooses a model folder (listed after the workspace's when it is not one of them).
    void setModel(const QString& folder);
    // "sft", "dpo", "grpo" or "reward".
    void setStage(const QString& stage);
    // Chooses a JSONL file (listed when it is not yet).
    void setDataset(const QString& path);
    void setLora(bool lora);
    // Writes configs/<file name>; false (with the reason shown) when something is missing, the
    // labels cannot be snapshotted or the file exists.
    bool save();
    QString savedPath() const { return m_savedPath; }
    QString messageText() const;

    // The stages offered, in order.
    static QStringList stages();
    // Whether the stage's trainer can train LoRA adapters (the `<stage>.lora` keys).
    static bool stageHasLora(const QString& stage);

signals:
    void saved(const QString& path);

private:
    void listDatasets();
    void stageChanged();

    std::filesystem::path m_workspace;
    QComboBox* m_model;
    QComboBox* m_stage;
    QComboBox* m_dataset;
    QComboBox* m_method;
    QSpinBox* m_loraRank;
    QLineEdit* m_fileName;
    QLabel* m_message;
    QStringList m_extraModels;    // folders chosen from elsewhere
    QStringList m_extraDatasets;  // files chosen from elsewhere
    QString m_savedPath;
};

}  // namespace strata::ui
