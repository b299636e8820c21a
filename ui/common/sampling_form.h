// The sampling settings as a form: max new tokens, temperature, top-k, top-p, repetition penalty
// and seed, each bounded to its valid range so no invalid value can be typed, and whether the
// prompt is asked as a chat (a user turn of the chat template, answered by the assistant's turn,
// as the alignment stages train it) or continued as text. The Playground and Labeling ▸ Generate
// Pairs… use it, each remembering its own values in the settings.
#pragma once

#include "core/model_spec/sampling_options.h"

#include <QString>
#include <QWidget>

class QCheckBox;
class QDoubleSpinBox;
class QSpinBox;

namespace strata::ui {

class SamplingForm : public QWidget {
    Q_OBJECT

public:
    // The values saved under `settingsGroup` ("playground"), else the defaults (with `chat` the
    // chat setting's).
    explicit SamplingForm(QString settingsGroup, bool chat = false, QWidget* parent = nullptr);

    model_spec::SamplingOptions options() const;
    bool chat() const;
    // Saves the values under the settings group.
    void save() const;

private:
    QString m_group;
    QSpinBox* m_maxNewTokens;
    QDoubleSpinBox* m_temperature;
    QSpinBox* m_topK;
    QDoubleSpinBox* m_topP;
    QDoubleSpinBox* m_repetitionPenalty;
    QSpinBox* m_seed;
    QCheckBox* m_chat;
};

}  // namespace strata::ui
