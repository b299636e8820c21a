#include "ui/playground/playground_page.h"

#include "ui/checkpoint_choices.h"
#include "ui/playground/playground_pane.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

#include <limits>

namespace strata::ui {

namespace {

QDoubleSpinBox* decimalBox(double low, double high, double step, const QString& tip) {
    auto* box = new QDoubleSpinBox;
    box->setRange(low, high);
    box->setSingleStep(step);
    box->setDecimals(2);
    box->setToolTip(tip);
    return box;
}

QSpinBox* wholeBox(int low, int high, const QString& tip) {
    auto* box = new QSpinBox;
    box->setRange(low, high);
    box->setToolTip(tip);
    return box;
}

}  // namespace

PlaygroundPage::PlaygroundPage(store::RunHistory& history, std::filesystem::path workspace,
                               std::filesystem::path localCli, QWidget* parent)
    : QWidget(parent),
      m_history(history),
      m_workspace(workspace),
      m_prompt(new QPlainTextEdit),
      m_maxNewTokens(wholeBox(1, 100000, tr("Tokens to generate at most"))),
      m_temperature(decimalBox(0, 10, 0.1,
                               tr("Sampling temperature; 0 always picks the most "
                                  "likely token"))),
      m_topK(wholeBox(0, 1000000, tr("Sample from the K most likely tokens; 0 = all"))),
      m_topP(decimalBox(0.01, 1, 0.05,
                        tr("Sample from the smallest set of likely tokens whose "
                           "probability reaches P"))),
      m_repetitionPenalty(decimalBox(0.01, 10, 0.05,
                                     tr("Divides the odds of tokens already "
                                        "in the text; 1 = none"))),
      m_seed(wholeBox(0, std::numeric_limits<int>::max(),
                      tr("The same seed, settings and checkpoint give the same text"))),
      m_compare(new QCheckBox(tr("&Compare two checkpoints"))),
      m_generate(new QPushButton(tr("&Generate"))),
      m_stop(new QPushButton(tr("S&top"))),
      m_left(new PlaygroundPane(tr("A"), localCli, workspace)),
      m_right(new PlaygroundPane(tr("B"), localCli, workspace)) {
    m_prompt->setObjectName("prompt");
    m_prompt->setPlaceholderText(
        tr("Type a prompt; leave it empty to let the model begin a "
           "document"));
    m_prompt->setMaximumHeight(120);
    m_maxNewTokens->setObjectName("maxNewTokens");
    m_temperature->setObjectName("temperature");
    m_topK->setObjectName("topK");
    m_topP->setObjectName("topP");
    m_repetitionPenalty->setObjectName("repetitionPenalty");
    m_seed->setObjectName("seed");
    m_compare->setObjectName("compare");
    m_generate->setObjectName("generateButton");
    m_generate->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_generate->setToolTip(tr("Generate from the prompt (Ctrl+Enter)"));
    m_stop->setObjectName("stopButton");
    m_stop->setToolTip(tr("Stop generating (Esc)"));
    m_left->setObjectName("paneA");
    m_right->setObjectName("paneB");

    QSettings settings;
    model::SamplingOptions defaults = model::defaultSamplingOptions();
    m_maxNewTokens->setValue(
        settings.value("playground/max_new_tokens", defaults.maxNewTokens).toInt());
    m_temperature->setValue(
        settings.value("playground/temperature", defaults.temperature).toDouble());
    m_topK->setValue(settings.value("playground/top_k", defaults.topK).toInt());
    m_topP->setValue(settings.value("playground/top_p", defaults.topP).toDouble());
    m_repetitionPenalty->setValue(
        settings.value("playground/repetition_penalty", defaults.repetitionPenalty).toDouble());
    m_seed->setValue(settings.value("playground/seed", 0).toInt());
    m_compare->setChecked(settings.value("playground/compare", true).toBool());

    auto* form = new QFormLayout;
    form->addRow(tr("Max new tokens"), m_maxNewTokens);
    form->addRow(tr("Temperature"), m_temperature);
    form->addRow(tr("Top-k"), m_topK);
    auto* more = new QFormLayout;
    more->addRow(tr("Top-p"), m_topP);
    more->addRow(tr("Repetition penalty"), m_repetitionPenalty);
    more->addRow(tr("Seed"), m_seed);
    auto* buttons = new QVBoxLayout;
    buttons->addWidget(m_generate);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_compare);
    buttons->addStretch();
    auto* settingsRow = new QHBoxLayout;
    settingsRow->addLayout(form);
    settingsRow->addLayout(more);
    settingsRow->addLayout(buttons);
    settingsRow->addStretch();

    auto* sides = new QSplitter(Qt::Horizontal);
    sides->setObjectName("playgroundSplitter");
    sides->addWidget(m_left);
    sides->addWidget(m_right);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Prompt")));
    layout->addWidget(m_prompt);
    layout->addLayout(settingsRow);
    layout->addWidget(sides, 1);

    connect(m_generate, &QPushButton::clicked, this, &PlaygroundPage::generate);
    connect(m_stop, &QPushButton::clicked, this, &PlaygroundPage::stop);
    auto* escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    connect(escape, &QShortcut::activated, this, &PlaygroundPage::stop);
    connect(m_compare, &QCheckBox::toggled, this, [this](bool on) {
        m_right->setVisible(on);
        updateButtons();
    });
    for (PlaygroundPane* side : {m_left, m_right}) {
        connect(side, &PlaygroundPane::finished, this, &PlaygroundPage::updateButtons);
        connect(side, &PlaygroundPane::choiceChanged, this, &PlaygroundPage::updateButtons);
    }
    m_right->setVisible(m_compare->isChecked());
    reload();
}

PlaygroundPage::~PlaygroundPage() {
    saveSettings();
}

void PlaygroundPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    reload();
}

void PlaygroundPage::reload() {
    std::vector<CheckpointChoice> choices;
    try {
        choices = listCheckpoints(m_history, m_workspace);
    } catch (const std::exception&) {
        return;  // the main window reports an unreadable history
    }
    // The history is re-read every time the page shows; the pickers change only with it.
    QStringList paths;
    for (const CheckpointChoice& choice : choices)
        paths << choice.host + ':' + choice.path;
    if (m_listedOnce && paths == m_listedPaths) return;
    bool wasEmpty = m_listedPaths.isEmpty();
    m_listedPaths = paths;
    m_listedOnce = true;
    m_left->setChoices(choices);
    m_right->setChoices(choices);
    // Newest against the one before it: what a person comparing checkpoints looks at first.
    if (wasEmpty && choices.size() > 1) m_right->selectChoice(1);
    updateButtons();
}

model::SamplingOptions PlaygroundPage::sampling() const {
    model::SamplingOptions options;
    options.maxNewTokens = m_maxNewTokens->value();
    options.temperature = m_temperature->value();
    options.topK = m_topK->value();
    options.topP = m_topP->value();
    options.repetitionPenalty = m_repetitionPenalty->value();
    options.seed = uint64_t(m_seed->value());
    return options;
}

void PlaygroundPage::generate() {
    if (m_left->running() || m_right->running()) return;
    saveSettings();
    QString prompt = m_prompt->toPlainText();
    m_left->generate(prompt, sampling());
    if (m_compare->isChecked()) m_right->generate(prompt, sampling());
    updateButtons();
}

void PlaygroundPage::stop() {
    m_left->cancel();
    m_right->cancel();
}

void PlaygroundPage::updateButtons() {
    bool running = m_left->running() || m_right->running();
    m_generate->setEnabled(!running && m_left->choice().has_value());
    m_stop->setEnabled(running);
}

void PlaygroundPage::saveSettings() const {
    QSettings settings;
    settings.setValue("playground/max_new_tokens", m_maxNewTokens->value());
    settings.setValue("playground/temperature", m_temperature->value());
    settings.setValue("playground/top_k", m_topK->value());
    settings.setValue("playground/top_p", m_topP->value());
    settings.setValue("playground/repetition_penalty", m_repetitionPenalty->value());
    settings.setValue("playground/seed", m_seed->value());
    settings.setValue("playground/compare", m_compare->isChecked());
}

}  // namespace strata::ui
