#include "ui/common/sampling_form.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QSettings>
#include <QSpinBox>

#include <limits>

namespace strata::ui {

namespace {

QDoubleSpinBox* decimalBox(const char* name, double low, double high, double step,
                           const QString& tip) {
    auto* box = new QDoubleSpinBox;
    box->setObjectName(name);
    box->setRange(low, high);
    box->setSingleStep(step);
    box->setDecimals(2);
    box->setToolTip(tip);
    return box;
}

QSpinBox* wholeBox(const char* name, int low, int high, const QString& tip) {
    auto* box = new QSpinBox;
    box->setObjectName(name);
    box->setRange(low, high);
    box->setToolTip(tip);
    return box;
}

}  // namespace

SamplingForm::SamplingForm(QString settingsGroup, bool chat, QWidget* parent)
    : QWidget(parent),
      m_group(std::move(settingsGroup)),
      m_maxNewTokens(wholeBox("maxNewTokens", 1, 100000, tr("Tokens to generate at most"))),
      m_temperature(decimalBox("temperature", 0, 10, 0.1,
                               tr("Sampling temperature; 0 always picks the most likely token"))),
      m_topK(wholeBox("topK", 0, 1000000, tr("Sample from the K most likely tokens; 0 = all"))),
      m_topP(decimalBox("topP", 0.01, 1, 0.05,
                        tr("Sample from the smallest set of likely tokens whose probability "
                           "reaches P"))),
      m_repetitionPenalty(decimalBox("repetitionPenalty", 0.01, 10, 0.05,
                                     tr("Divides the odds of tokens already in the text; 1 = "
                                        "none"))),
      m_seed(wholeBox("seed", 0, std::numeric_limits<int>::max(),
                      tr("The same seed, settings and checkpoint give the same text"))),
      m_chat(new QCheckBox(tr("Chat"))) {
    m_chat->setObjectName("chat");
    m_chat->setToolTip(
        tr("Ask the prompt as a user turn of the chat template and show the assistant's answer, "
           "as fine-tuned models are trained; off: continue the prompt as text"));
    QSettings settings;
    settings.beginGroup(m_group);
    model_spec::SamplingOptions defaults = model_spec::defaultSamplingOptions();
    m_maxNewTokens->setValue(settings.value("max_new_tokens", defaults.maxNewTokens).toInt());
    m_temperature->setValue(settings.value("temperature", defaults.temperature).toDouble());
    m_topK->setValue(settings.value("top_k", defaults.topK).toInt());
    m_topP->setValue(settings.value("top_p", defaults.topP).toDouble());
    m_repetitionPenalty->setValue(
        settings.value("repetition_penalty", defaults.repetitionPenalty).toDouble());
    m_seed->setValue(settings.value("seed", 0).toInt());
    m_chat->setChecked(settings.value("chat", chat).toBool());

    auto* first = new QFormLayout;
    first->addRow(tr("Max new tokens"), m_maxNewTokens);
    first->addRow(tr("Temperature"), m_temperature);
    first->addRow(tr("Top-k"), m_topK);
    auto* second = new QFormLayout;
    second->addRow(tr("Top-p"), m_topP);
    second->addRow(tr("Repetition penalty"), m_repetitionPenalty);
    second->addRow(tr("Seed"), m_seed);
    second->addRow(m_chat);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(first);
    layout->addLayout(second);
}

model_spec::SamplingOptions SamplingForm::options() const {
    model_spec::SamplingOptions options;
    options.maxNewTokens = m_maxNewTokens->value();
    options.temperature = m_temperature->value();
    options.topK = m_topK->value();
    options.topP = m_topP->value();
    options.repetitionPenalty = m_repetitionPenalty->value();
    options.seed = uint64_t(m_seed->value());
    return options;
}

bool SamplingForm::chat() const {
    return m_chat->isChecked();
}

void SamplingForm::save() const {
    QSettings settings;
    settings.beginGroup(m_group);
    settings.setValue("max_new_tokens", m_maxNewTokens->value());
    settings.setValue("temperature", m_temperature->value());
    settings.setValue("top_k", m_topK->value());
    settings.setValue("top_p", m_topP->value());
    settings.setValue("repetition_penalty", m_repetitionPenalty->value());
    settings.setValue("seed", m_seed->value());
    settings.setValue("chat", m_chat->isChecked());
}

}  // namespace strata::ui
