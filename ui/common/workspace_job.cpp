#include "ui/common/workspace_job.h"

#include "core/proto/remote_workspace_files.h"
#include "core/proto/worker_connection.h"
#include "ui/common/cli_job.h"

#include <QTimer>

#include <spdlog/spdlog.h>

namespace strata::ui {

namespace {

constexpr int kPollMilliseconds = 500;

}  // namespace

LocalWorkspaceJob::LocalWorkspaceJob(std::filesystem::path cli, QObject* parent)
    : WorkspaceJob(parent), m_job(new CliJob(std::move(cli), this)) {
    connect(m_job, &CliJob::line, this, &WorkspaceJob::line);
    connect(m_job, &CliJob::progress, this, &WorkspaceJob::progress);
    connect(m_job, &CliJob::finished, this, &WorkspaceJob::finished);
}

void LocalWorkspaceJob::start(const proto::JobSpec& spec) {
    QStringList arguments;
    try {
        for (const std::string& argument : proto::jobArguments(spec))
            arguments << QString::fromStdString(argument);
        proto::makeJobOutputFolder(spec);
    } catch (const std::exception& error) {
        emit finished(false, QString::fromUtf8(error.what()));
        return;
    }
    m_job->start(arguments);
}

bool LocalWorkspaceJob::running() const {
    return m_job->running();
}

void LocalWorkspaceJob::cancel() {
    m_job->cancel();
}

RemoteWorkspaceJob::RemoteWorkspaceJob(std::shared_ptr<proto::RemoteWorkspaceFiles> files,
                                       QObject* parent)
    : WorkspaceJob(parent), m_files(std::move(files)), m_timer(new QTimer(this)) {
    connect(m_timer, &QTimer::timeout, this, &RemoteWorkspaceJob::poll);
}

void RemoteWorkspaceJob::start(const proto::JobSpec& spec) {
    if (running()) return;
    m_lastLine.clear();
    m_unreachable = false;
    proto::JobOutput output;
    try {
        output = m_files->startJob(spec);
    } catch (const std::exception& error) {
        emit finished(false, QString::fromUtf8(error.what()));
        return;
    }
    spdlog::info("started job {} on {}", output.job, m_files->address());
    m_job = output.job;
    m_next = 0;
    if (!show(output)) m_timer->start(kPollMilliseconds);
}

void RemoteWorkspaceJob::cancel() {
    if (!running()) return;
    try {
        m_files->cancelJob(m_job);
    } catch (const std::exception& error) {
        spdlog::warn("cancelling job {}: {}", m_job, error.what());
    }
    poll();
}

void RemoteWorkspaceJob::poll() {
    if (!running()) return;
    proto::JobOutput output;
    try {
        output = m_files->jobOutput(m_job, m_next);
    } catch (const proto::ConnectionLost& lost) {
        // The job goes on on the host; its output is read on from m_next once it answers.
        if (!m_unreachable)
            emit line(tr("%1 The job goes on there; its output shows when the host answers.")
                          .arg(QString::fromUtf8(lost.what())));
        m_unreachable = true;
        return;
    } catch (const std::exception& error) {
        m_timer->stop();
        m_job.clear();
        emit finished(false, QString::fromUtf8(error.what()));
        return;
    }
    m_unreachable = false;
    if (show(output)) m_timer->stop();
}

bool RemoteWorkspaceJob::show(const proto::JobOutput& output) {
    for (const std::string& text : output.lines) {
        if (text.empty()) continue;
        OutputLine shown = readOutputLine(QByteArray::fromStdString(text));
        m_lastLine = shown.text;
        emit line(m_lastLine);
        if (shown.percent) emit progress(*shown.percent);
    }
    m_next = output.next;
    if (output.state == proto::JobState::Running) return false;
    m_job.clear();
    if (output.state == proto::JobState::Cancelled) m_lastLine = tr("Cancelled.");
    emit finished(output.state == proto::JobState::Succeeded, m_lastLine);
    return true;
}

}  // namespace strata::ui
