#include "ui/train/run_config_dialog.h"

#include "core/run/stage.h"
#include "ui/train/stage_config_file.h"
#include "widgets/config_form.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace strata::ui {

namespace fs = std::filesystem;

namespace {

bool usesRewardModel(const QString& stage) {
    return stage == "ppo" || stage == "grpo";
}

}  // namespace

RunConfigDialog::RunConfigDialog(std::vector<CheckpointChoice> checkpoints, fs::path workspace,
                                 QWidget* parent)
    : QDialog(parent),
      m_checkpoints(std::move(checkpoints)),
      m_workspace(std::move(workspace)),
      m_stage(new QComboBox),
      m_startFrom(new QComboBox),
      m_rewardModel(new QComboBox),
      m_data(new QLineEdit),
      m_fileName(new QLineEdit),
      m_message(new QLabel),
      m_formHolder(new QVBoxLayout) {
    setWindowTitle(tr("New Run Config"));
    m_stage->setObjectName("stage");
    for (run::Stage stage : run::kStages)
        m_stage->addItem(run::stageName(stage));
    m_startFrom->setObjectName("startFrom");
    fillCheckpointBox(m_startFrom, m_checkpoints);
    m_startFrom->setToolTip(tr("init.model: the checkpoint the stage starts from"));
    m_rewardModel->setObjectName("rewardModel");
    m_rewardModel->addItem(tr("none: rule-based rewards only"), -1);
    for (size_t i = 0; i < m_checkpoints.size(); ++i)
        m_rewardModel->addItem(m_checkpoints[i].label, int(i));
    m_rewardModel->setToolTip(
        tr("init.reward_model: a checkpoint of a reward run, weighted by rewards.model"));
    m_data->setObjectName("trainingData");
    m_data->setPlaceholderText(
        tr("data.train: conversations (SFT), preference pairs (reward, DPO) or task prompts "
           "(PPO, GRPO), JSONL"));
    auto* browse = new QPushButton(tr("Browse…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        QString path = QFileDialog::getOpenFileName(this, tr("Training Data"),
                                                    QString::fromStdString(m_workspace.string()),
                                                    tr("JSON lines (*.jsonl);;All files (*)"));
        if (!path.isEmpty()) m_data->setText(path);
    });
    auto* dataRow = new QHBoxLayout;
    dataRow->addWidget(m_data, 1);
    dataRow->addWidget(browse);
    m_fileName->setObjectName("fileName");
    m_message->setObjectName("message");
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* pickers = new QFormLayout;
    pickers->addRow(tr("Stage"), m_stage);
    pickers->addRow(tr("Start from"), m_startFrom);
    pickers->addRow(tr("Reward model"), m_rewardModel);
    pickers->addRow(tr("Training data"), dataRow);
    pickers->addRow(tr("Save as"), m_fileName);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Save)->setObjectName("saveButton");
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (save()) accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(pickers);
    layout->addLayout(m_formHolder, 1);
    layout->addWidget(m_message);
    layout->addWidget(buttons);

    connect(m_stage, &QComboBox::currentTextChanged, this, &RunConfigDialog::setStage);
    for (QComboBox* box : {m_startFrom, m_rewardModel})
        connect(box, &QComboBox::currentIndexChanged, this, &RunConfigDialog::applyPickers);
    connect(m_data, &QLineEdit::textChanged, this, &RunConfigDialog::applyPickers);
    setStage("sft");
    resize(760, 720);
}

void RunConfigDialog::setStage(const QString& stage) {
    if (m_stage->currentText() != stage) {
        m_stage->setCurrentText(stage);  // comes back here through currentTextChanged
        return;
    }
    if (m_form && m_formStage == stage) return;
    m_formStage = stage;
    delete m_form;
    m_form = nullptr;
    m_schema.clear();
    try {
        m_schema = stageConfigSchema(stage);
    } catch (const std::exception& error) {
        showMessage(QString::fromUtf8(error.what()));
        return;
    }
    m_form = new widgets::ConfigForm(m_schema);
    m_form->setObjectName("configForm");
    m_form->setValues({{"train.stage", stage.toStdString()}});
    m_formHolder->addWidget(m_form);
    bool aligning = stage != "pretrain";
    m_startFrom->setEnabled(aligning);
    m_data->setEnabled(aligning);
    m_rewardModel->setEnabled(usesRewardModel(stage));
    // The first free configs/<stage>.toml, configs/<stage>-2.toml, ...
    m_fileName->setText(freeConfigName(m_workspace, stage));
    showMessage({});
    applyPickers();
}

void RunConfigDialog::setValue(const std::string& key, const QString& value) {
    if (key == "data.train") m_data->setText(value);  // the picker shows it and fills the form
    if (m_form) m_form->setValues({{key, value.toStdString()}});
}

void RunConfigDialog::applyPickers() {
    if (!m_form) return;
    QString stage = m_stage->currentText();
    if (stage == "pretrain") return;
    common::ConfigValues values;
    int start = m_startFrom->currentData().toInt();
    if (start >= 0 && size_t(start) < m_checkpoints.size())
        values["init.model"] = m_checkpoints[size_t(start)].path.toStdString();
    if (!m_data->text().isEmpty()) values["data.train"] = m_data->text().toStdString();
    if (usesRewardModel(stage)) {
        int reward = m_rewardModel->currentData().toInt();
        bool chosen = reward >= 0 && size_t(reward) < m_checkpoints.size();
        values["init.reward_model"] =
            chosen ? m_checkpoints[size_t(reward)].path.toStdString() : "";
        bool weighted = QString::fromStdString(m_form->values()["rewards.model"]).toDouble() > 0;
        if (chosen && !weighted) values["rewards.model"] = "1.0";
        if (!chosen) values["rewards.model"] = "0.0";
    }
    m_form->setValues(values);
}

bool RunConfigDialog::save() {
    if (!m_form) return false;
    QString error;
    std::optional<QString> path =
        saveStageConfig(m_workspace, m_fileName->text(), m_schema, m_form->values(),
                        m_stage->currentText(), "New Config dialog", error);
    if (!path) {
        showMessage(error);
        return false;
    }
    m_savedPath = *path;
    showMessage(tr("Saved %1").arg(m_savedPath));
    emit saved(m_savedPath);
    return true;
}

QString RunConfigDialog::messageText() const {
    return m_message->text();
}

void RunConfigDialog::showMessage(const QString& text) {
    m_message->setText(text);
}

}  // namespace strata::ui
