#include "ui/common/cli_job.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <spdlog/spdlog.h>

namespace strata::ui {

CliJob::CliJob(std::filesystem::path cli, QObject* parent)
    : QObject(parent), m_cli(std::move(cli)), m_process(new QProcess(this)) {
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    connect(m_process, &QProcess::readyRead, this, [this] { readLines(false); });
    connect(m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        readLines(true);
        bool ok = status == QProcess::NormalExit && code == 0;
        if (ok)
            spdlog::info("strata-cli {} finished", m_arguments.value(0).toStdString());
        else
            spdlog::warn("strata-cli {} failed: {}", m_arguments.value(0).toStdString(),
                         m_lastLine.toStdString());
        emit finished(ok, m_lastLine);
    });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart) return;
        m_lastLine = tr("cannot run %1: %2")
                         .arg(QString::fromStdString(m_cli.string()), m_process->errorString());
        emit finished(false, m_lastLine);
    });
}

CliJob::~CliJob() {
    if (!running()) return;
    // The killed process object stays with the application until the child has gone, so the GUI
    // thread never waits for it here.
    m_process->disconnect(this);
    m_process->setParent(QCoreApplication::instance());
    connect(m_process, &QProcess::finished, m_process, &QObject::deleteLater);
    m_process->kill();
}

void CliJob::start(const QStringList& arguments) {
    m_pending.clear();
    m_lastLine.clear();
    m_arguments = arguments;
    spdlog::info("running strata-cli {}", arguments.join(' ').toStdString());
    m_process->start(QString::fromStdString(m_cli.string()), arguments);
}

void CliJob::cancel() {
    if (running()) m_process->kill();
}

// Progress bars redraw with '\r' on a terminal; through the pipe each report is its own line,
// but both are split here so either works.
void CliJob::readLines(bool flush) {
    static const QRegularExpression percent(R"(\((\d+)%\))");
    m_pending += m_process->readAll();
    if (flush && !m_pending.isEmpty()) m_pending += '\n';
    qsizetype start = 0;
    for (qsizetype end = start; end < m_pending.size(); ++end) {
        if (m_pending[end] != '\n' && m_pending[end] != '\r') continue;
        QString text = QString::fromUtf8(m_pending.mid(start, end - start)).trimmed();
        start = end + 1;
        if (text.isEmpty()) continue;
        m_lastLine = text;
        emit line(text);
        if (QRegularExpressionMatch match = percent.match(text); match.hasMatch())
            emit progress(match.captured(1).toInt());
    }
    m_pending.remove(0, start);
}

}  // namespace strata::ui
