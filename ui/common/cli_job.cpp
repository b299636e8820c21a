#include "ui/common/cli_job.h"

#include "core/common/progress.h"

#include <QCoreApplication>
#include <QProcessEnvironment>

#include <spdlog/spdlog.h>

#include <cmath>

namespace strata::ui {

OutputLine readOutputLine(const QByteArray& bytes) {
    std::optional<common::ProgressReport> report = common::parseProgressLine(bytes.toStdString());
    if (!report) return {QString::fromUtf8(bytes), std::nullopt};
    std::optional<double> percent = report->percent();
    return {QString::fromStdString(common::progressText(*report)),
            percent ? std::optional<int>(int(std::lround(*percent))) : std::nullopt};
}

CliJob::CliJob(std::filesystem::path cli, QObject* parent)
    : QObject(parent), m_cli(std::move(cli)), m_process(new QProcess(this)) {
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    // Progress as lines this side parses, not the text a person reads.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(common::kProgressEnvironment, common::kProgressLines);
    m_process->setProcessEnvironment(environment);
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

// A progress line is shown as the text a terminal would have printed, and moves the bar.
void CliJob::readLines(bool flush) {
    m_pending += m_process->readAll();
    if (flush && !m_pending.isEmpty()) m_pending += '\n';
    qsizetype start = 0;
    for (qsizetype end = start; end < m_pending.size(); ++end) {
        if (m_pending[end] != '\n') continue;
        QByteArray bytes = m_pending.mid(start, end - start).trimmed();
        start = end + 1;
        if (bytes.isEmpty()) continue;
        OutputLine shown = readOutputLine(bytes);
        m_lastLine = shown.text;
        emit line(m_lastLine);
        if (shown.percent) emit progress(*shown.percent);
    }
    m_pending.remove(0, start);
}

}  // namespace strata::ui
