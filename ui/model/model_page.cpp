#include "ui/model/model_page.h"

#include "core/common/atomic_file.h"
#include "core/common/config_reader.h"
#include "core/common/human_units.h"
#include "core/common/workspace_paths.h"
#include "core/model_spec/hf_config.h"
#include "core/model_spec/model_size.h"
#include "ui/common/icons.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace strata::ui {

namespace {

QString human(double value) {
    return QString::fromStdString(common::humanCount(value));
}

QString bytes(uint64_t value) {
    return QString::fromStdString(common::humanBytes(value));
}

}  // namespace

ModelPage::ModelPage(std::filesystem::path workspace, QWidget* parent)
    : QWidget(parent),
      m_attention(new QComboBox),
      m_device(new QComboBox),
      m_workspace(std::move(workspace)),
      m_model(new QComboBox),
      m_architecture(new QLabel),
      m_fineTune(new QPushButton(tr("&Fine-tune…"))),
      m_costs(new QLabel),
      m_errors(new QLabel) {
    m_attention->setObjectName("attention");
    m_attention->addItem(tr("grouped-query (GQA)"), int(model_spec::AttentionKind::Gqa));
    m_attention->addItem(tr("multi-head latent (MLA)"), int(model_spec::AttentionKind::Mla));
    m_device->setObjectName("device");
    m_device->addItem(tr("CPU, fp32"));
    m_device->addItem(tr("CUDA GPU, bf16 with fused attention"));
    m_vocabSize = addSpin("vocab_size", 16, 1 << 20);
    m_dModel = addSpin("d_model", 8, 65536);
    m_numLayers = addSpin("num_layers", 1, 512);
    m_contextLength = addSpin("context_length", 8, 1 << 20);
    m_numDenseLayers = addSpin("num_dense_layers", 0, 512);
    m_numHeads = addSpin("num_heads", 1, 1024);
    m_numKvHeads = addSpin("num_kv_heads", 1, 1024);
    m_kvLoraRank = addSpin("kv_lora_rank", 1, 65536);
    m_numRoutedExperts = addSpin("num_routed_experts", 1, 4096);
    m_numSharedExperts = addSpin("num_shared_experts", 0, 64);
    m_topK = addSpin("top_k", 1, 64);
    m_expertHiddenSize = addSpin("expert_hidden_size", 0, 1 << 20);
    m_batchSize = addSpin("batch_size", 1, 65536);
    m_sequenceLength = addSpin("sequence_length", 8, 1 << 20);
    m_loraRank = addSpin("lora_rank", 1, 4096);
    m_expertHiddenSize->setSpecialValueText(tr("d_model"));
    m_batchSize->setValue(8);
    m_sequenceLength->setValue(512);
    m_loraRank->setValue(8);

    auto* architecture = new QFormLayout;
    architecture->addRow(tr("Vocabulary size"), m_vocabSize);
    architecture->addRow(tr("Model width (d_model)"), m_dModel);
    architecture->addRow(tr("Layers"), m_numLayers);
    architecture->addRow(tr("Dense layers first"), m_numDenseLayers);
    architecture->addRow(tr("Context length"), m_contextLength);
    architecture->addRow(tr("Attention"), m_attention);
    architecture->addRow(tr("Heads"), m_numHeads);
    architecture->addRow(tr("Key/value heads (GQA)"), m_numKvHeads);
    architecture->addRow(tr("Key/value latent rank (MLA)"), m_kvLoraRank);
    architecture->addRow(tr("Routed experts"), m_numRoutedExperts);
    architecture->addRow(tr("Shared experts"), m_numSharedExperts);
    architecture->addRow(tr("Experts per token (top-k)"), m_topK);
    architecture->addRow(tr("Expert hidden size"), m_expertHiddenSize);
    auto* memory = new QFormLayout;
    memory->addRow(tr("Device"), m_device);
    memory->addRow(tr("Batch (sequences)"), m_batchSize);
    memory->addRow(tr("Sequence length"), m_sequenceLength);
    memory->addRow(tr("LoRA rank"), m_loraRank);

    m_costs->setObjectName("costs");
    m_costs->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errors->setObjectName("errors");
    m_errors->setWordWrap(true);
    m_errors->setStyleSheet("QLabel { color: palette(link); }");
    auto* load = new QPushButton(tr("Load…"));
    auto* save = new QPushButton(tr("Save…"));
    connect(load, &QPushButton::clicked, this, [this] {
        QString path = QFileDialog::getOpenFileName(this, tr("Load a model config"), {},
                                                    tr("Model configs (*.toml config.json)"));
        if (path.isEmpty()) return;
        showModel({});  // a loaded config is a design to edit
        loadFile(path);
    });
    connect(save, &QPushButton::clicked, this, [this] {
        QString path = QFileDialog::getSaveFileName(this, tr("Save the model config"), "model.toml",
                                                    tr("TOML (*.toml)"));
        if (!path.isEmpty()) saveFile(path);
    });
    m_model->setObjectName("workspaceModel");
    m_model->setToolTip(
        tr("A model of this workspace (models/), shown read-only, or a new design"));
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_model, &QComboBox::activated, this,
            [this] { showModel(m_model->currentData().toString()); });
    m_architecture->setObjectName("architecture");
    m_architecture->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_architecture->hide();
    m_fineTune->setObjectName("fineTune");
    m_fineTune->setIcon(studioIcon(StudioIcon::FineTune));
    m_fineTune->setToolTip(tr("Write a fine-tuning run config for this model"));
    connect(m_fineTune, &QPushButton::clicked, this,
            [this] { emit fineTuneRequested(m_shownModel); });
    auto* import = new QPushButton(tr("&Import Model…"));
    import->setObjectName("importModel");
    import->setIcon(studioIcon(StudioIcon::Import));
    import->setToolTip(tr("Import a Hugging Face model folder or a GGUF file into models/"));
    connect(import, &QPushButton::clicked, this, &ModelPage::importRequested);
    // Without a workspace there is no models/ to import into or fine-tune from.
    import->setVisible(!m_workspace.empty());
    m_fineTune->setVisible(!m_workspace.empty());
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(new QLabel(tr("Model")));
    buttons->addWidget(m_model);
    buttons->addWidget(m_fineTune);
    buttons->addWidget(import);
    buttons->addSpacing(24);
    buttons->addWidget(load);
    buttons->addWidget(save);
    buttons->addStretch();

    auto* side = new QVBoxLayout;
    side->addWidget(m_architecture);
    side->addLayout(memory);
    side->addWidget(m_costs);
    side->addWidget(m_errors);
    side->addStretch();
    auto* columns = new QHBoxLayout;
    columns->addLayout(architecture);
    columns->addSpacing(24);
    columns->addLayout(side, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addLayout(columns);
    layout->addStretch();

    connect(m_attention, &QComboBox::currentIndexChanged, this, &ModelPage::recompute);
    connect(m_device, &QComboBox::currentIndexChanged, this, &ModelPage::recompute);
    setConfig(model_spec::ModelConfig{});
    reloadModels();
    setReadOnly(false);
}

void ModelPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    reloadModels();
}

void ModelPage::reloadModels() {
    m_model->clear();
    m_model->addItem(tr("New design (editable)"), QString());
    std::vector<std::filesystem::path> models;
    std::error_code error;
    if (!m_workspace.empty())
        for (const auto& entry :
             std::filesystem::directory_iterator(common::modelsFolder(m_workspace), error))
            if (std::filesystem::exists(entry.path() / "model.toml") ||
                std::filesystem::exists(entry.path() / "config.json"))
                models.push_back(entry.path());
    std::sort(models.begin(), models.end());
    for (const std::filesystem::path& model : models)
        m_model->addItem("models/" + QString::fromStdString(model.filename().string()),
                         QString::fromStdString(model.lexically_normal().string()));
    if (!m_shownModel.isEmpty() && m_model->findData(m_shownModel) < 0)
        m_model->addItem(m_shownModel, m_shownModel);  // a folder from elsewhere stays listed
    m_model->setCurrentIndex(std::max(0, m_model->findData(m_shownModel)));
}

bool ModelPage::showModel(const QString& folder) {
    if (folder.isEmpty()) {
        m_shownModel.clear();
        setReadOnly(false);
        m_model->setCurrentIndex(0);
        return true;
    }
    const std::filesystem::path path = folder.toStdString();
    std::filesystem::path file = path / "model.toml";
    if (!std::filesystem::exists(file)) file = path / "config.json";
    if (!std::filesystem::exists(file)) {
        m_errors->setText(
            tr("%1 is not a model folder: it has neither model.toml nor config.json").arg(folder));
        return false;
    }
    if (!loadFile(QString::fromStdString(file.string()))) return false;
    m_shownModel = QString::fromStdString(path.lexically_normal().string());
    reloadModels();
    setReadOnly(true);
    return true;
}

void ModelPage::setReadOnly(bool readOnly) {
    for (QSpinBox* spin : {m_vocabSize, m_dModel, m_numLayers, m_contextLength, m_numDenseLayers,
                           m_numHeads, m_numKvHeads, m_kvLoraRank, m_numRoutedExperts,
                           m_numSharedExperts, m_topK, m_expertHiddenSize})
        spin->setReadOnly(readOnly);
    m_attention->setEnabled(!readOnly);
    m_fineTune->setEnabled(readOnly);
    m_architecture->setVisible(readOnly && m_config);
    if (readOnly && m_config) m_architecture->setText(architectureText(*m_config));
}

QString ModelPage::architectureText(const model_spec::ModelConfig& config) {
    using model_spec::AttentionKind;
    QStringList lines;
    const QString family = config.family == model_spec::ModelFamily::Strata
                               ? tr("Strata (made here)")
                               : QString::fromStdString(model_spec::hfFamilyName(config.family));
    lines << tr("<b>Family</b>: %1").arg(family);
    const int moeLayers = config.numMoeLayers();
    lines << (moeLayers == 0 ? tr("<b>Layers</b>: %1, all dense (feed-forward hidden size %2)")
                                   .arg(config.numLayers)
                                   .arg(config.resolvedDenseHiddenSize())
                             : tr("<b>Layers</b>: %1, of which %2 MoE and %3 dense")
                                   .arg(config.numLayers)
                                   .arg(moeLayers)
                                   .arg(config.numLayers - moeLayers));
    lines << tr("<b>Width</b>: d_model %1, vocabulary %2, context %3 tokens")
                 .arg(config.dModel)
                 .arg(config.vocabSize)
                 .arg(config.contextLength);
    const model_spec::AttentionConfig& attention = config.attention;
    if (attention.kind == AttentionKind::Gqa) {
        lines << tr("<b>Attention</b>: %1, %2 heads, %3 key/value heads, head dim %4")
                     .arg(attention.numKvHeads == attention.numHeads ? tr("multi-head (MHA)")
                          : attention.numKvHeads == 1                ? tr("multi-query (MQA)")
                                                                     : tr("grouped-query (GQA)"))
                     .arg(attention.numHeads)
                     .arg(attention.numKvHeads)
                     .arg(config.resolvedHeadDim());
    } else {
        lines << tr("<b>Attention</b>: multi-head latent (MLA), %1 heads, key/value latent rank "
                    "%2, query latent rank %3, head dims %4 + %5 rotary, values %6")
                     .arg(attention.numHeads)
                     .arg(attention.kvLoraRank)
                     .arg(attention.qLoraRank > 0 ? QString::number(attention.qLoraRank)
                                                  : tr("none"))
                     .arg(attention.qkNopeHeadDim)
                     .arg(attention.qkRopeHeadDim)
                     .arg(attention.vHeadDim);
    }
    if (moeLayers > 0)
        lines << tr("<b>MoE</b>: %1 routed experts and %2 shared, top-%3, expert hidden size %4")
                     .arg(config.moe.numRoutedExperts)
                     .arg(config.moe.numSharedExperts)
                     .arg(config.moe.topK)
                     .arg(config.resolvedExpertHiddenSize());
    else
        lines << tr("<b>MoE</b>: none (a dense model)");
    return lines.join("<br>");
}

QSpinBox* ModelPage::addSpin(const char* key, int minimum, int maximum) {
    auto* spin = new QSpinBox;
    spin->setObjectName(key);
    spin->setRange(minimum, maximum);
    spin->setAccelerated(true);
    connect(spin, &QSpinBox::valueChanged, this, &ModelPage::recompute);
    return spin;
}

void ModelPage::setConfig(const model_spec::ModelConfig& config) {
    m_base = config;
    m_updating = true;
    m_vocabSize->setValue(config.vocabSize);
    m_dModel->setValue(config.dModel);
    m_numLayers->setValue(config.numLayers);
    m_contextLength->setValue(config.contextLength);
    m_numDenseLayers->setValue(config.numDenseLayers);
    m_attention->setCurrentIndex(m_attention->findData(int(config.attention.kind)));
    m_numHeads->setValue(config.attention.numHeads);
    m_numKvHeads->setValue(config.attention.numKvHeads);
    m_kvLoraRank->setValue(config.attention.kvLoraRank);
    m_numRoutedExperts->setValue(config.moe.numRoutedExperts);
    m_numSharedExperts->setValue(config.moe.numSharedExperts);
    m_topK->setValue(config.moe.topK);
    m_expertHiddenSize->setValue(config.moe.expertHiddenSize);
    m_updating = false;
    recompute();
}

void ModelPage::recompute() {
    if (m_updating) return;
    model_spec::ModelConfig config = m_base;
    config.vocabSize = m_vocabSize->value();
    config.dModel = m_dModel->value();
    config.numLayers = m_numLayers->value();
    config.contextLength = m_contextLength->value();
    config.numDenseLayers = m_numDenseLayers->value();
    config.attention.kind = model_spec::AttentionKind(m_attention->currentData().toInt());
    config.attention.numHeads = m_numHeads->value();
    config.attention.numKvHeads = m_numKvHeads->value();
    config.attention.kvLoraRank = m_kvLoraRank->value();
    config.moe.numRoutedExperts = m_numRoutedExperts->value();
    config.moe.numSharedExperts = m_numSharedExperts->value();
    config.moe.topK = m_topK->value();
    config.moe.expertHiddenSize = m_expertHiddenSize->value();
    const bool mla = config.attention.kind == model_spec::AttentionKind::Mla;
    m_numKvHeads->setEnabled(!mla);
    m_kvLoraRank->setEnabled(mla);

    // Validated the way a run reads it: through the [model] table's text.
    try {
        common::ConfigReader reader = common::ConfigReader::fromString(
            model_spec::modelConfigText(config), tr("the form").toStdString());
        m_config = model_spec::readModelConfig(reader);
    } catch (const std::exception& error) {
        m_config.reset();
        m_errors->setText(QString::fromUtf8(error.what()));
        m_costs->clear();
        return;
    }
    m_errors->clear();
    const bool cuda = m_device->currentIndex() == 1;
    const int seqLen = std::min(m_sequenceLength->value(), config.contextLength);
    model_spec::ParameterCounts counts = model_spec::countParameters(*m_config);
    model_spec::MemoryEstimate memory = model_spec::estimateTrainingMemory(
        *m_config, m_batchSize->value(), seqLen, cuda ? 2 : 4, !cuda);
    const int loraRank = m_loraRank->value();
    model_spec::MemoryEstimate lora = model_spec::estimateLoraTrainingMemory(
        *m_config, loraRank, m_batchSize->value(), seqLen, cuda ? 2 : 4, !cuda);
    QString family;
    if (m_config->family != model_spec::ModelFamily::Strata)
        family = tr("<b>Family</b>: %1, as imported<br>")
                     .arg(QString::fromStdString(model_spec::hfFamilyName(m_config->family)));
    m_costs->setText(
        family +
        tr("<b>Parameters</b>: %1 total, %2 active per token<br>"
           "<b>Training FLOPs</b>: %3 per token at %4 tokens of context<br>"
           "<b>Training memory</b>: %5 (weights %6, gradients %7, optimizer %8, "
           "activations %9)")
            .arg(human(double(counts.total())), human(double(counts.activePerToken)),
                 human(model_spec::trainingFlopsPerToken(*m_config, seqLen)))
            .arg(seqLen)
            .arg(bytes(memory.total()), bytes(memory.parameters), bytes(memory.gradients),
                 bytes(memory.optimizer), bytes(memory.activations)) +
        tr("<br><b>With LoRA</b> (rank %1, %2 adapter parameters): %3 (adapters' gradients "
           "and optimizer %4)")
            .arg(loraRank)
            .arg(human(double(model_spec::countLoraParameters(*m_config, loraRank))),
                 bytes(lora.total()), bytes(lora.gradients + lora.optimizer)));
}

bool ModelPage::loadFile(const QString& path) {
    try {
        if (QFileInfo(path).fileName() == "config.json") {
            setConfig(model_spec::readHfConfig(path.toStdString()).config);
            return true;
        }
        common::ConfigReader reader = common::ConfigReader::fromFile(path.toStdString());
        setConfig(model_spec::readModelConfig(reader));
        return true;
    } catch (const std::exception& error) {
        m_errors->setText(QString::fromUtf8(error.what()));
        return false;
    }
}

bool ModelPage::saveFile(const QString& path) {
    if (!m_config) return false;
    try {
        common::AtomicFile file(path.toStdString());
        file.write(model_spec::modelConfigText(*m_config));
        file.commit();
        return true;
    } catch (const std::exception& error) {
        m_errors->setText(QString::fromUtf8(error.what()));
        return false;
    }
}

}  // namespace strata::ui
