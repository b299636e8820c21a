// A job of the Data, Tokenizer and Labeling pages (cleaning a dataset, training a tokenizer,
// scoring the queue's pairs) wherever their workspace is. LocalWorkspaceJob runs strata-cli here as
// a child process (CliJob); RemoteWorkspaceJob has the workspace's host run it
// (RemoteWorkspaceFiles::startJob), where it goes on when the connection drops or the studio
// closes, and reads its output from where it stopped every half second. Both say the same: each
// output line as it comes, the percentage of progress lines, and at the end whether it succeeded
// with its last line.
#pragma once

#include "core/proto/workspace_jobs.h"

#include <QObject>
#include <QString>

#include <filesystem>
#include <memory>

class QTimer;

namespace strata::proto {
class RemoteWorkspaceFiles;
}

namespace strata::ui {

class CliJob;

class WorkspaceJob : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;

    // Starts the job; finished() follows, also when it cannot start.
    virtual void start(const proto::JobSpec& spec) = 0;
    virtual bool running() const = 0;
    // Ends the job; finished() follows with ok = false.
    virtual void cancel() = 0;

signals:
    void line(const QString& text);
    void progress(int percent);
    // `lastLine`: the job's last output line, its one-line error when it failed.
    void finished(bool ok, const QString& lastLine);
};

class LocalWorkspaceJob : public WorkspaceJob {
    Q_OBJECT

public:
    // `cli`: the strata-cli to run.
    explicit LocalWorkspaceJob(std::filesystem::path cli, QObject* parent = nullptr);

    void start(const proto::JobSpec& spec) override;
    bool running() const override;
    void cancel() override;

private:
    CliJob* m_job;
};

class RemoteWorkspaceJob : public WorkspaceJob {
    Q_OBJECT

public:
    explicit RemoteWorkspaceJob(std::shared_ptr<proto::RemoteWorkspaceFiles> files,
                                QObject* parent = nullptr);

    void start(const proto::JobSpec& spec) override;
    bool running() const override { return !m_job.empty(); }
    void cancel() override;

private:
    // Reads the job's output since the last read; finished() once it has ended.
    void poll();
    // Shows the lines of one read; true when the job has ended.
    bool show(const proto::JobOutput& output);

    std::shared_ptr<proto::RemoteWorkspaceFiles> m_files;
    QTimer* m_timer;
    std::string m_job;  // the job followed; empty when none
    int64_t m_next = 0;
    QString m_lastLine;
    bool m_unreachable = false;  // said once while the host is away
};

}  // namespace strata::ui
