#include "ui/playground/playground_page.h"

#include "ui/common/checkpoint_choices.h"
#include "ui/common/sampling_form.h"
#include "ui/playground/playground_pane.h"
#include "widgets/empty_state.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QVBoxLayout>

namespace strata::ui {

PlaygroundPage::PlaygroundPage(store::RunHistory& history, std::filesystem::path workspace,
                               std::filesystem::path localCli, QWidget* parent)
    : PlaygroundPage(&history, nullptr, std::move(workspace), std::move(localCli), parent) {}

PlaygroundPage::PlaygroundPage(store::RunCatalog& runs, proto::WorkerTarget remoteWorkspace,
                               QWidget* parent)
    : PlaygroundPage(nullptr, &runs, {}, {}, parent) {
    for (PlaygroundPane* side : {m_left, m_right})
        side->setRemoteWorkspace(remoteWorkspace);
}

PlaygroundPage::PlaygroundPage(store::RunHistory* history, store::RunCatalog* remoteRuns,
                               std::filesystem::path workspace, std::filesystem::path localCli,
                               QWidget* parent)
    : QWidget(parent),
      m_history(history),
      m_remoteRuns(remoteRuns),
      m_workspace(workspace),
      m_prompt(new QPlainTextEdit),
      m_sampling(new SamplingForm("playground")),
      m_compare(new QCheckBox(tr("&Compare two checkpoints"))),
      m_generate(new QPushButton(tr("&Generate"))),
      m_stop(new QPushButton(tr("S&top"))),
      m_newChat(new QPushButton(tr("&New Chat"))),
      m_left(new PlaygroundPane(tr("A"), localCli, workspace)),
      m_right(new PlaygroundPane(tr("B"), localCli, workspace)),
      m_errors([this](const QString& message) {
          m_left->showStatus(message);
          m_right->showStatus(message);
      }) {
    for (PlaygroundPane* side : {m_left, m_right})
        connect(side, &PlaygroundPane::exportRequested, this, &PlaygroundPage::exportRequested);
    m_prompt->setObjectName("prompt");
    m_prompt->setPlaceholderText(
        tr("Type a prompt; leave it empty to let the model begin a "
           "document"));
    m_prompt->setMaximumHeight(120);
    m_compare->setObjectName("compare");
    m_generate->setObjectName("generateButton");
    m_generate->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_generate->setToolTip(tr("Generate from the prompt (Ctrl+Enter)"));
    m_stop->setObjectName("stopButton");
    m_stop->setToolTip(tr("Stop generating (Esc)"));
    m_newChat->setObjectName("newChatButton");
    m_newChat->setToolTip(tr("Forget the conversation: the next chat prompt starts a new one"));
    m_left->setObjectName("paneA");
    m_right->setObjectName("paneB");

    m_compare->setChecked(QSettings().value("playground/compare", true).toBool());

    auto* buttons = new QVBoxLayout;
    buttons->addWidget(m_generate);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_newChat);
    buttons->addWidget(m_compare);
    buttons->addStretch();
    auto* settingsRow = new QHBoxLayout;
    settingsRow->addWidget(m_sampling);
    settingsRow->addLayout(buttons);
    settingsRow->addStretch();

    auto* sides = new QSplitter(Qt::Horizontal);
    sides->setObjectName("playgroundSplitter");
    sides->addWidget(m_left);
    sides->addWidget(m_right);
    m_empty = new widgets::EmptyState(
        sides, tr("No model to generate from yet"),
        tr("Here two checkpoints continue one prompt side by side. A run lists its checkpoints "
           "here as it saves them; a model folder on this machine (an imported model, a copied "
           "checkpoint) can be chosen too."));
    m_empty->setObjectName("playgroundEmpty");
    if (m_history) {  // a remote workspace's models come from its runs, started on its host
        connect(m_empty->addAction(tr("Choose a Model Folder…")), &QPushButton::clicked, m_left,
                &PlaygroundPane::pickFolder);
        connect(m_empty->addAction(tr("Open the Pipeline")), &QPushButton::clicked, this,
                &PlaygroundPage::pipelineRequested);
    }
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Prompt")));
    layout->addWidget(m_prompt);
    layout->addLayout(settingsRow);
    layout->addWidget(m_empty, 1);

    connect(m_generate, &QPushButton::clicked, this, &PlaygroundPage::generate);
    connect(m_stop, &QPushButton::clicked, this, &PlaygroundPage::stop);
    connect(m_newChat, &QPushButton::clicked, this, [this] {
        m_left->clearConversation();
        m_right->clearConversation();
        updateButtons();
    });
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
    // A remote workspace's checkpoints are read when the page is shown.
    if (m_history) reload();
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
    if (!m_errors.run([&] {
            choices = m_remoteRuns ? listRemoteCheckpoints(*m_remoteRuns)
                                   : listCheckpoints(*m_history, m_workspace);
        }))
        return;
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

void PlaygroundPage::generate() {
    if (m_left->running() || m_right->running()) return;
    saveSettings();
    QString prompt = m_prompt->toPlainText();
    m_left->generate(prompt, m_sampling->options(), m_sampling->chat());
    if (m_compare->isChecked())
        m_right->generate(prompt, m_sampling->options(), m_sampling->chat());
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
    m_newChat->setEnabled(!running &&
                          (!m_left->conversation().empty() || !m_right->conversation().empty()));
    if (m_empty) m_empty->setEmpty(!m_left->choice() && !m_right->choice());
}

void PlaygroundPage::saveSettings() const {
    m_sampling->save();
    QSettings().setValue("playground/compare", m_compare->isChecked());
}

}  // namespace strata::ui
