#include "ui/common/cli_job_dialog.h"

#include "ui/common/cli_job.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace strata::ui {

CliJobDialog::CliJobDialog(std::filesystem::path localCli, const QString& actionText,
                           QWidget* parent)
    : QDialog(parent),
      m_job(new CliJob(std::move(localCli), this)),
      m_formArea(new QWidget),
      m_form(new QFormLayout(m_formArea)),
      m_progress(new QProgressBar),
      m_message(new QLabel),
      m_action(new QPushButton(actionText)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Close)) {
    m_progress->setObjectName("progress");
    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    m_progress->hide();
    m_message->setObjectName("message");
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_action->setObjectName("actionButton");
    m_action->setDefault(true);
    m_buttons->addButton(m_action, QDialogButtonBox::ActionRole);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_job, &CliJob::line, this, &CliJobDialog::showMessage);
    connect(m_job, &CliJob::progress, this, [this](int percent) {
        m_progress->setRange(0, 100);
        m_progress->setValue(percent);
    });
    connect(m_job, &CliJob::finished, this, [this](bool ok, const QString& lastLine) {
        setRunning(false);
        commandFinished(ok, lastLine);
    });
    auto* layout = new QVBoxLayout(this);
    m_form->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_formArea);
    layout->addStretch();
    layout->addWidget(m_progress);
    layout->addWidget(m_message);
    layout->addWidget(m_buttons);
}

CliJobDialog::~CliJobDialog() = default;

bool CliJobDialog::running() const {
    return m_job->running();
}

QString CliJobDialog::messageText() const {
    return m_message->text();
}

void CliJobDialog::runCommand(const QStringList& arguments, const QString& startText) {
    if (running()) return;
    m_arguments = arguments;
    showMessage(startText);
    m_progress->setRange(0, 0);  // busy until the command reports its progress
    setRunning(true);
    m_job->start(arguments);
}

void CliJobDialog::showMessage(const QString& text) {
    m_message->setText(text);
}

void CliJobDialog::commandFinished(bool ok, const QString& lastLine) {
    showMessage(ok ? lastLine : tr("Failed: %1").arg(lastLine));
}

void CliJobDialog::setRunning(bool running) {
    m_progress->setVisible(running);
    m_action->setEnabled(!running);
    m_formArea->setEnabled(!running);
}

// Closing kills a command under way (CliJob's destructor does, without waiting for it).
void CliJobDialog::done(int result) {
    if (running()) m_job->cancel();
    QDialog::done(result);
}

}  // namespace strata::ui
