// The Model page: the architecture in a form, with what it costs recomputed on every edit:
// parameters (total and active per token), training FLOPs per token, and the training memory for
// a batch on the chosen device (CPU in fp32, or CUDA in bf16 with fused attention), in full and
// with LoRA adapters. The form's config is validated as a run would validate it, every problem
// listed with its key. Configs are saved and loaded as the [model] table of a TOML file, which
// `strata-cli train` configs include; a Hugging Face config.json loads as import reads it, its
// family and the settings the form does not show kept.
#pragma once

#include "core/model_spec/model_config.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QSpinBox;

namespace strata::ui {

class ModelPage : public QWidget {
    Q_OBJECT

public:
    explicit ModelPage(QWidget* parent = nullptr);

    // The form's config when it is valid.
    std::optional<model_spec::ModelConfig> config() const { return m_config; }
    void setConfig(const model_spec::ModelConfig& config);
    // Loads the [model] table of a TOML file, or a Hugging Face config.json; false (with the
    // error shown) when it cannot.
    bool loadFile(const QString& path);
    bool saveFile(const QString& path);

private:
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
    QLabel* m_costs;
    QLabel* m_errors;
    model_spec::ModelConfig m_base;  // the keys the form does not show keep these values
    std::optional<model_spec::ModelConfig> m_config;
    bool m_updating = false;
};

}  // namespace strata::ui
