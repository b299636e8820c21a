// The Model page: the architecture in a form, with what it costs recomputed on every edit:
// parameters (total and active per token), training FLOPs per token, and the training memory for
// a batch on the chosen device (CPU in fp32, or CUDA in bf16 with fused attention), in full and
// with LoRA adapters. The form's config is validated as a run would validate it, every problem
// listed with its key. Configs are saved and loaded as the [model] table of a TOML file, which
// `strata-cli train` configs include; a Hugging Face config.json loads as import reads it, its
// family and the settings the form does not show kept. A model of the workspace (a folder of
// models/ with a model.toml, as `strata-cli import` writes it, or a Hugging Face folder with a
// config.json) is chosen above the form and shown read-only: its family, layers, attention and
// MoE layout, with the same costs, LoRA included, on the chosen device. From there it can be
// fine-tuned (Fine-tune…), and another model imported (Import Model…); the page only asks, and
// the main window opens the dialogs.
#pragma once

#include "core/model_spec/model_config.h"

#include <QWidget>

#include <filesystem>
#include <optional>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace strata::ui {

class ModelPage : public QWidget {
    Q_OBJECT

public:
    // `workspace`: where models/ is listed from (none: only the form, without Fine-tune… and
    // Import Model…).
    explicit ModelPage(std::filesystem::path workspace = {}, QWidget* parent = nullptr);

    // The form's config when it is valid.
    std::optional<model_spec::ModelConfig> config() const { return m_config; }
    void setConfig(const model_spec::ModelConfig& config);
    // Loads the [model] table of a TOML file, or a Hugging Face config.json; false (with the
    // error shown) when it cannot.
    bool loadFile(const QString& path);
    bool saveFile(const QString& path);

    // Re-reads the workspace's models/ into the model picker, keeping the one shown.
    void reloadModels();
    // Shows a model folder read-only (model.toml, else config.json); false (with the error
    // shown) when it has neither or they cannot be read. An empty folder goes back to the form.
    bool showModel(const QString& folder);
    // The model folder shown read-only, or empty while the form is being designed.
    QString shownModel() const { return m_shownModel; }
    // The architecture of `config` in a few lines of HTML: family, layers, attention, MoE.
    static QString architectureText(const model_spec::ModelConfig& config);

signals:
    // Fine-tune…: the Fine-tune dialog, with `folder` (the shown model, or none) chosen.
    void fineTuneRequested(const QString& folder);
    // Import Model…
    void importRequested();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void setReadOnly(bool readOnly);

    QSpinBox* addSpin(const char* key, int minimum, int maximum);
    void recompute();

    QComboBox* m_attention;
    QComboBox* m_device;
    QSpinBox* m_vocabSize;
    QSpinBox* m_dModel;
    QSpinBox* m_numLayers;
    QSpinBox* m_contextLength;
    QSpinBox* m_numDenseLayers;
    QSpinBox* m_numHeads;
    QSpinBox* m_numKvHeads;
    QSpinBox* m_kvLoraRank;
    QSpinBox* m_numRoutedExperts;
    QSpinBox* m_numSharedExperts;
    QSpinBox* m_topK;
    QSpinBox* m_expertHiddenSize;
    QSpinBox* m_batchSize;
    QSpinBox* m_sequenceLength;
    QSpinBox* m_loraRank;
    std::filesystem::path m_workspace;
    QComboBox* m_model;  // the design, then models/<name>
    QLabel* m_architecture;
    QPushButton* m_fineTune;
    QString m_shownModel;
    QLabel* m_costs;
    QLabel* m_errors;
    model_spec::ModelConfig m_base;  // the keys the form does not show keep these values
    std::optional<model_spec::ModelConfig> m_config;
    bool m_updating = false;
};

}  // namespace strata::ui
