// A strata-cli command the studio runs as a child process (cleaning, tokenizer training, the
// sample data pipeline), so a failing or slow command never takes the window with it. Its
// output arrives line by line; it reports progress as progress lines (core/common/progress.h),
// which arrive as the text a terminal shows ("clean: 12.0 MB / 48.0 MB (25%) in 1.2 s") and, once
// the total is known, as a percentage for a progress bar.
#pragma once

#include <QObject>
#include <QProcess>
#include <QStringList>

#include <filesystem>
#include <optional>

namespace strata::ui {

// One line of a strata-cli command's output as the studio shows it: a progress line as the text
// a terminal shows, with its percentage once the total is known; any other line as it is.
struct OutputLine {
    QString text;
    std::optional<int> percent;
};
OutputLine readOutputLine(const QByteArray& bytes);

class CliJob : public QObject {
    Q_OBJECT

public:
    explicit CliJob(std::filesystem::path cli, QObject* parent = nullptr);
    // Kills a command still running, without waiting for it to go.
    ~CliJob() override;

    void start(const QStringList& arguments);
    bool running() const { return m_process->state() != QProcess::NotRunning; }
    // Kills the command; finished() follows with ok = false.
    void cancel();

signals:
    void line(const QString& text);
    void progress(int percent);
    // `lastLine`: the command's last output line, its one-line error when it failed.
    void finished(bool ok, const QString& lastLine);

private:
    void readLines(bool flush);

    std::filesystem::path m_cli;
    QProcess* m_process;
    QStringList m_arguments;
    QByteArray m_pending;
    QString m_lastLine;
};

}  // namespace strata::ui
