// Train ▸ New Config…: a run config for any stage, saved into the workspace's configs/ for the
// Train page to start. Every key of the stage is in a form built from the stage's commented
// default config (core/run/run_config.h, what `strata-cli train --print-default-config` prints:
// the form always matches what the trainer reads, with its documentation as tooltips); pickers fill
// the keys that say what a stage starts from: init.model (a checkpoint of the history),
// init.reward_model for PPO and GRPO (with rewards.model = 1 once one is chosen) and data.train.
// The file holds train.stage and the values that differ from the stage's defaults.
#pragma once

#include "core/common/config_schema.h"
#include "ui/common/checkpoint_choices.h"

#include <QDialog>

#include <filesystem>
#include <map>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QVBoxLayout;

namespace strata::widgets {
class ConfigForm;
}

namespace strata::ui {

class RunConfigDialog : public QDialog {
    Q_OBJECT

public:
    RunConfigDialog(std::vector<CheckpointChoice> checkpoints, std::filesystem::path workspace,
                    QWidget* parent = nullptr);

    // Switches the form to `stage` ("sft", "reward", ...), keeping what the pickers chose.
    void setStage(const QString& stage);
    // Sets one key of the form, e.g. data.train to a labels snapshot.
    void setValue(const std::string& key, const QString& value);
    // Writes configs/<file name>; false (with the reason shown) for a bad value or an existing
    // file.
    bool save();
    QString savedPath() const { return m_savedPath; }
    QString messageText() const;
    widgets::ConfigForm* form() const { return m_form; }

signals:
    void saved(const QString& path);

private:
    void applyPickers();
    void showMessage(const QString& text);

    std::vector<CheckpointChoice> m_checkpoints;
    std::filesystem::path m_workspace;
    QComboBox* m_stage;
    QComboBox* m_startFrom;
    QComboBox* m_rewardModel;
    QLineEdit* m_data;
    QLineEdit* m_fileName;
    QLabel* m_message;
    QVBoxLayout* m_formHolder;
    widgets::ConfigForm* m_form = nullptr;
    std::vector<common::ConfigTable> m_schema;
    QString m_formStage;  // the stage the form shows
    QString m_savedPath;
};

}  // namespace strata::ui
