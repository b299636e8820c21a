#include "ui/train/fine_tune_dialog.h"

#include "core/common/workspace_paths.h"
#include "core/store/label_store.h"
#include "ui/train/stage_config_file.h"

#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace strata::ui {

namespace fs = std::filesystem;

namespace {

// The dataset picker's item for "snapshot the labeling queue's preferences when saving".
const QString kLabelQueue = QStringLiteral("labels:queue");

QString shown(const fs::path& path, const fs::path& workspace) {
    return QString::fromStdString(common::workspaceRelative(path, workspace));
}

// The JSONL files under datasets/ whose name fits `wanted`, sorted; labels/ only when asked.
std::vector<fs::path> jsonlFiles(const fs::path& workspace, bool labels,
                                 bool (*wanted)(const std::string& name)) {
    std::vector<fs::path> found;
    std::error_code error;
    const fs::path root = labels ? workspace / "datasets" / "labels" : workspace / "datasets";
    for (fs::recursive_directory_iterator it(root, error), end; !error && it != end;
         it.increment(error)) {
        if (it.depth() > 2) it.disable_recursion_pending();
        const fs::path& path = it->path();
        if (!labels && path.filename() == "labels") {
            it.disable_recursion_pending();
            continue;
        }
        if (path.extension() == ".jsonl" && wanted(path.filename().string())) found.push_back(path);
    }
    std::sort(found.begin(), found.end());
    return found;
}

bool isTaskSet(const std::string& name) {
    return name.rfind("tasks", 0) == 0;
}

bool isExamples(const std::string& name) {
    return !isTaskSet(name) && name != "test.jsonl";
}

bool anyFile(const std::string&) {
    return true;
}

}  // namespace

FineTuneDialog::FineTuneDialog(fs::path workspace, QWidget* parent)
    : QDialog(parent),
      m_workspace(std::move(workspace)),
      m_model(new QComboBox),
      m_stage(new QComboBox),
      m_dataset(new QComboBox),
      m_method(new QComboBox),
      m_loraRank(new QSpinBox),
      m_fileName(new QLineEdit),
      m_message(new QLabel) {
    setWindowTitle(tr("Fine-tune a Model"));
    m_model->setObjectName("model");
    m_model->setToolTip(tr("init.model: an imported model of this workspace (models/)"));
    m_stage->setObjectName("stage");
    const QString stageNames[] = {tr("SFT: learn from examples"), tr("DPO: learn from preferences"),
                                  tr("GRPO: learn from rewarded tries at tasks"),
                                  tr("Reward model: learn to score answers")};
    for (int i = 0; i < stages().size(); ++i)
        m_stage->addItem(stageNames[i], stages()[i]);
    m_dataset->setObjectName("dataset");
    m_dataset->setToolTip(tr("data.train: what the stage learns from"));
    m_method->setObjectName("method");
    m_method->addItem(tr("LoRA adapters"), true);
    m_method->addItem(tr("Full fine-tuning (every weight)"), false);
    m_loraRank->setObjectName("loraRank");
    m_loraRank->setRange(1, 1024);
    m_loraRank->setValue(8);
    m_loraRank->setToolTip(tr("The adapters' rank; their alpha is twice the rank"));
    m_fileName->setObjectName("fileName");
    m_message->setObjectName("message");
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* browseModel = new QPushButton(tr("Folder…"));
    connect(browseModel, &QPushButton::clicked, this, [this] {
        QString folder = QFileDialog::getExistingDirectory(
            this, tr("Model Folder"),
            QString::fromStdString(common::modelsFolder(m_workspace).string()));
        if (!folder.isEmpty()) setModel(folder);
    });
    auto* browseData = new QPushButton(tr("Browse…"));
    connect(browseData, &QPushButton::clicked, this, [this] {
        QString path = QFileDialog::getOpenFileName(
            this, tr("Training Data"), QString::fromStdString((m_workspace / "datasets").string()),
            tr("JSON lines (*.jsonl);;All files (*)"));
        if (!path.isEmpty()) setDataset(path);
    });
    auto* modelRow = new QHBoxLayout;
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(browseModel);
    auto* dataRow = new QHBoxLayout;
    dataRow->addWidget(m_dataset, 1);
    dataRow->addWidget(browseData);
    auto* methodRow = new QHBoxLayout;
    methodRow->addWidget(m_method, 1);
    methodRow->addWidget(new QLabel(tr("rank")));
    methodRow->addWidget(m_loraRank);

    auto* form = new QFormLayout;
    form->addRow(tr("Model"), modelRow);
    form->addRow(tr("Stage"), m_stage);
    form->addRow(tr("Learns from"), dataRow);
    form->addRow(tr("Training"), methodRow);
    form->addRow(tr("Save as"), m_fileName);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Save)->setObjectName("saveButton");
    buttons->button(QDialogButtonBox::Save)->setText(tr("&Save and Open"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (save()) accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addStretch();
    layout->addWidget(buttons);

    connect(m_stage, &QComboBox::currentIndexChanged, this, &FineTuneDialog::stageChanged);
    connect(m_method, &QComboBox::currentIndexChanged, this,
            [this] { m_loraRank->setEnabled(m_method->currentData().toBool()); });
    relist();
    stageChanged();
    resize(640, sizeHint().height());
}

QStringList FineTuneDialog::stages() {
    return {"sft", "dpo", "grpo", "reward"};
}

bool FineTuneDialog::stageHasLora(const QString& stage) {
    return stage == "sft" || stage == "grpo";
}

void FineTuneDialog::relist() {
    const QString chosen = m_model->currentData().toString();
    m_model->clear();
    std::vector<fs::path> models;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(common::modelsFolder(m_workspace), error))
        if (fs::exists(entry.path() / "model.toml")) models.push_back(entry.path());
    std::sort(models.begin(), models.end());
    for (const fs::path& model : models)
        m_model->addItem("models/" + QString::fromStdString(model.filename().string()),
                         QString::fromStdString(model.lexically_normal().string()));
    for (const QString& folder : m_extraModels)
        m_model->addItem(folder, folder);
    if (int keep = m_model->findData(chosen); keep >= 0) m_model->setCurrentIndex(keep);
    listDatasets();
}

void FineTuneDialog::listDatasets() {
    const QString stage = m_stage->currentData().toString();
    const QString chosen = m_dataset->currentData().toString();
    m_dataset->clear();
    std::vector<fs::path> files;
    if (stage == "dpo" || stage == "reward") {
        m_dataset->addItem(tr("the labeling queue's preferences (a snapshot is taken)"),
                           kLabelQueue);
        files = jsonlFiles(m_workspace, true, anyFile);
    } else {
        files = jsonlFiles(m_workspace, false, stage == "grpo" ? isTaskSet : isExamples);
    }
    for (const fs::path& file : files)
        m_dataset->addItem(shown(file, m_workspace),
                           QString::fromStdString(file.lexically_normal().string()));
    for (const QString& file : m_extraDatasets)
        m_dataset->addItem(file, file);
    if (int keep = m_dataset->findData(chosen); keep >= 0) m_dataset->setCurrentIndex(keep);
}

void FineTuneDialog::stageChanged() {
    const QString stage = m_stage->currentData().toString();
    listDatasets();
    const bool lora = stageHasLora(stage);
    m_method->setEnabled(lora);
    if (!lora) m_method->setCurrentIndex(1);
    m_method->setToolTip(lora ? QString()
                              : tr("This stage's trainer trains every weight; it has no LoRA"));
    m_loraRank->setEnabled(m_method->currentData().toBool());
    m_fileName->setText(freeConfigName(m_workspace, "finetune-" + stage));
    m_message->clear();
}

void FineTuneDialog::setModel(const QString& folder) {
    const QString clean = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
    if (m_model->findData(clean) < 0) {
        m_extraModels << clean;
        m_model->addItem(clean, clean);
    }
    m_model->setCurrentIndex(m_model->findData(clean));
}

void FineTuneDialog::setStage(const QString& stage) {
    if (int index = m_stage->findData(stage); index >= 0) m_stage->setCurrentIndex(index);
}

void FineTuneDialog::setDataset(const QString& path) {
    const QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    if (m_dataset->findData(clean) < 0) {
        m_extraDatasets << clean;
        m_dataset->addItem(clean, clean);
    }
    m_dataset->setCurrentIndex(m_dataset->findData(clean));
}

void FineTuneDialog::setLora(bool lora) {
    m_method->setCurrentIndex(lora && m_method->isEnabled() ? 0 : 1);
}

bool FineTuneDialog::save() {
    const QString stage = m_stage->currentData().toString();
    const QString model = m_model->currentData().toString();
    QString data = m_dataset->currentData().toString();
    if (model.isEmpty()) {
        m_message->setText(
            tr("No model to fine-tune: import one first (File ▸ Import Model…), or choose a "
               "model folder."));
        return false;
    }
    if (data.isEmpty()) {
        m_message->setText(stage == "grpo"
                               ? tr("No task set: run the fine-tune sample (it writes "
                                    "datasets/sample-tasks/), or browse to a tasks JSONL file.")
                               : tr("Choose what the stage learns from."));
        return false;
    }
    std::vector<common::ConfigTable> schema;
    try {
        schema = stageConfigSchema(stage);
    } catch (const std::exception& error) {
        m_message->setText(QString::fromUtf8(error.what()));
        return false;
    }
    if (data == kLabelQueue) {
        // The queue as it is now: what the run learns from stays put while labeling goes on.
        const fs::path snapshot =
            m_workspace / "datasets" / "labels" /
            QDateTime::currentDateTime().toString("'labels-'yyyyMMdd-HHmmss'.jsonl'").toStdString();
        try {
            store::LabelStore labels(common::historyFile(m_workspace));
            store::LabelCounts counts = labels.counts();
            if (counts.numA + counts.numB == 0) {
                m_message->setText(
                    tr("No pair has an A or B label yet: label pairs on the Labeling page first."));
                return false;
            }
            fs::create_directories(snapshot.parent_path());
            labels.exportPreferences(snapshot);
        } catch (const std::exception& error) {
            m_message->setText(QString::fromUtf8(error.what()));
            return false;
        }
        data = QString::fromStdString(snapshot.string());
    }
    common::ConfigValues values = common::defaultValues(schema);
    values["train.stage"] = stage.toStdString();
    values["init.model"] = model.toStdString();
    values["data.train"] = data.toStdString();
    // A task set's held-out tasks, as the sample writes them beside it, are its validation.
    const fs::path heldOut = fs::path(data.toStdString()).parent_path() / "test.jsonl";
    if (stage == "grpo" && fs::exists(heldOut)) values["data.val"] = heldOut.string();
    if (stageHasLora(stage)) {
        const bool lora = m_method->currentData().toBool();
        const std::string table = stage.toStdString();
        values[table + ".lora"] = lora ? "true" : "false";
        if (lora) {
            values[table + ".lora_rank"] = std::to_string(m_loraRank->value());
            values[table + ".lora_alpha"] = std::to_string(2 * m_loraRank->value()) + ".0";
        }
    }
    QString error;
    std::optional<QString> path = saveStageConfig(m_workspace, m_fileName->text(), schema, values,
                                                  stage, "Fine-tune dialog", error);
    if (!path) {
        m_message->setText(error);
        return false;
    }
    m_savedPath = *path;
    m_message->setText(tr("Saved %1").arg(m_savedPath));
    emit saved(m_savedPath);
    return true;
}

QString FineTuneDialog::messageText() const {
    return m_message->text();
}

}  // namespace strata::ui
