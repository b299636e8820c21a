#include "ui/playground/playground_pane.h"

#include "ui/common/icons.h"
#include "ui/playground/generation_session.h"
#include "ui/targets/saved_targets.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QTextCharFormat>
#include <QTextCursor>
#include <QTextEdit>
#include <QVBoxLayout>

namespace strata::ui {

PlaygroundPane::PlaygroundPane(const QString& name, std::filesystem::path localCli,
                               std::filesystem::path workspace, QWidget* parent)
    : QWidget(parent),
      m_localCli(std::move(localCli)),
      m_workspace(std::move(workspace)),
      m_checkpoint(new QComboBox),
      m_browse(new QPushButton(tr("Folder…"))),
      m_export(new QPushButton(tr("Export…"))),
      m_output(new QTextEdit),
      m_status(new QLabel) {
    m_checkpoint->setObjectName("checkpoint");
    m_checkpoint->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_checkpoint->setMinimumContentsLength(20);
    m_checkpoint->setToolTip(tr("The checkpoint that writes this side's text"));
    m_browse->setToolTip(
        tr("Generate from a model folder on this machine (a checkpoint or an "
           "imported Hugging Face model)"));
    connect(m_browse, &QPushButton::clicked, this, &PlaygroundPane::pickFolder);
    m_export->setObjectName("exportModel");
    m_export->setToolTip(tr("Export this model as a Hugging Face folder or a GGUF file"));
    connect(m_export, &QPushButton::clicked, this, [this] {
        std::optional<CheckpointChoice> chosen = choice();
        if (chosen && chosen->host == "local")
            emit exportRequested(chosen->path, exportName(*chosen));
    });
    connect(m_checkpoint, &QComboBox::currentIndexChanged, this, &PlaygroundPane::choiceChanged);
    // Another model starts a new conversation: the earlier answers were not its own.
    connect(m_checkpoint, &QComboBox::currentIndexChanged, this, [this] {
        if (!running()) m_conversation.clear();
    });
    connect(m_checkpoint, &QComboBox::currentIndexChanged, this, &PlaygroundPane::updateExport);
    m_export->setIcon(studioIcon(StudioIcon::Export));
    m_export->setEnabled(false);
    m_output->setObjectName("output");
    m_output->setReadOnly(true);
    m_status->setObjectName("status");
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* picker = new QHBoxLayout;
    auto* title = new QLabel(QString("<b>%1</b>").arg(name.toHtmlEscaped()));
    picker->addWidget(title);
    picker->addWidget(m_checkpoint, 1);
    picker->addWidget(m_browse);
    picker->addWidget(m_export);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(picker);
    layout->addWidget(m_output, 1);
    layout->addWidget(m_status);
}

PlaygroundPane::~PlaygroundPane() = default;

void PlaygroundPane::setRemoteWorkspace(proto::WorkerTarget workspace) {
    m_remoteWorkspace = std::move(workspace);
    m_browse->hide();
    m_export->hide();
}

void PlaygroundPane::setChoices(const std::vector<CheckpointChoice>& choices) {
    m_historyChoices = choices;
    relist();
}

void PlaygroundPane::relist() {
    m_listed = m_historyChoices;
    m_listed.insert(m_listed.end(), m_folderChoices.begin(), m_folderChoices.end());
    fillCheckpointBox(m_checkpoint, m_listed);
    updateExport();
    if (m_listed.empty())
        m_status->setText(
            tr("No checkpoint yet: train a run (Train page), or pick a model "
               "folder."));
    else if (m_status->text().startsWith(tr("No checkpoint yet")))
        m_status->clear();
}

// Export runs strata-cli on this machine: a checkpoint on another host is exported there.
void PlaygroundPane::updateExport() {
    std::optional<CheckpointChoice> chosen = choice();
    m_export->setEnabled(chosen && chosen->host == "local");
}

void PlaygroundPane::selectChoice(int index) {
    if (index >= 0 && index < m_checkpoint->count()) m_checkpoint->setCurrentIndex(index);
}

std::optional<CheckpointChoice> PlaygroundPane::choice() const {
    int index = m_checkpoint->currentIndex();
    if (index < 0 || size_t(index) >= m_listed.size()) return std::nullopt;
    return m_listed[size_t(index)];
}

void PlaygroundPane::pickFolder() {
    std::error_code error;
    const std::filesystem::path models = m_workspace / "models";
    QString folder = QFileDialog::getExistingDirectory(
        this, tr("Model Folder"),
        QString::fromStdString(
            (std::filesystem::is_directory(models, error) ? models : m_workspace).string()));
    if (!folder.isEmpty()) addFolder(folder);
}

void PlaygroundPane::addFolder(const QString& folder) {
    m_folderChoices.push_back(folderChoice(folder));
    relist();
    m_checkpoint->setCurrentIndex(m_checkpoint->count() - 1);
}

void PlaygroundPane::generate(const QString& prompt, const model_spec::SamplingOptions& sampling,
                              bool chat) {
    std::optional<CheckpointChoice> chosen = choice();
    if (!chosen || running()) return;
    proto::WorkerTarget target;
    try {
        target = m_remoteWorkspace ? *m_remoteWorkspace
                                   : resolveTarget(chosen->host, m_localCli, m_workspace);
    } catch (const std::exception& error) {
        end(QString::fromUtf8(error.what()));
        return;
    }
    if (!chat) m_conversation.clear();
    proto::GenerateSpec spec;
    spec.checkpoint = chosen->path.toStdString();
    spec.prompts = {prompt.toStdString()};
    spec.sampling = sampling;
    spec.chat = chat;
    spec.history = m_conversation;
    m_asked = chat ? prompt : QString();

    m_generated.clear();
    m_output->clear();
    QTextCharFormat promptFormat;
    promptFormat.setForeground(palette().color(QPalette::PlaceholderText));
    // A chat shows its turns, the questions dimmed, then the answer below the new question; text
    // continues the prompt in place.
    for (const proto::ChatTurn& turn : m_conversation)
        m_output->textCursor().insertText(
            QString::fromStdString(turn.content) + "\n\n",
            turn.role == "assistant" ? QTextCharFormat() : promptFormat);
    m_output->textCursor().insertText(chat ? prompt + "\n\n" : prompt, promptFormat);
    m_status->setText(tr("Starting a worker on %1…").arg(QString::fromStdString(target.name())));
    m_session = SessionPtr<GenerationSession>(new GenerationSession(target, spec));
    connect(m_session.get(), &GenerationSession::piece, this, [this](int, const QString& text) {
        if (m_generated.isEmpty()) m_status->setText(tr("Generating…"));
        m_generated += text;
        QTextCursor cursor(m_output->document());
        cursor.movePosition(QTextCursor::End);
        cursor.insertText(text, QTextCharFormat());
        m_output->verticalScrollBar()->setValue(m_output->verticalScrollBar()->maximum());
    });
    connect(m_session.get(), &GenerationSession::promptDone, this,
            [this](int, qint64 tokens, double seconds) {
                m_status->setText(tr("%n token(s) in %1 s · %2 tokens/s", "", int(tokens))
                                      .arg(seconds, 0, 'f', 2)
                                      .arg(seconds > 0 ? tokens / seconds : 0.0, 0, 'f', 1));
            });
    connect(m_session.get(), &GenerationSession::finished, this, [this] {
        // A chat's answered turn joins the conversation the next prompt continues.
        if (!m_asked.isNull()) {
            m_conversation.push_back({"user", m_asked.toStdString()});
            m_conversation.push_back({"assistant", m_generated.toStdString()});
        }
        end({});
    });
    connect(m_session.get(), &GenerationSession::failed, this,
            [this](const QString& message) { end(message); });
    m_busy = true;
    m_session->start();
}

void PlaygroundPane::clearConversation() {
    if (running()) return;
    m_conversation.clear();
    m_output->clear();
    m_generated.clear();
}

void PlaygroundPane::end(const QString& error) {
    m_busy = false;
    m_asked = QString();
    if (!error.isEmpty()) m_status->setText(error);
    emit finished();
}

void PlaygroundPane::cancel() {
    if (running()) {
        m_session->cancel();
        m_status->setText(tr("Stopped."));
    }
}

bool PlaygroundPane::running() const {
    return m_busy;
}

QString PlaygroundPane::statusText() const {
    return m_status->text();
}

void PlaygroundPane::showStatus(const QString& text) {
    m_status->setText(text);
}

}  // namespace strata::ui
