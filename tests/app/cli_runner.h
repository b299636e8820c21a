// Runs strata-cli in a child process, as a user would, for the tests of app/; writes the input
// files those tests feed it and reads the run events it writes.
#pragma once

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

struct CliRun {
    int exitCode = -1;
    QString out;
    QString err;

    // The last line on stderr: where a failed command puts its one-line error.
    QString lastErrorLine() const { return err.trimmed().split('\n').last(); }
};

inline CliRun runCli(const QStringList& args, const QByteArray& input = {}) {
    QProcess process;
    process.start(STRATA_CLI, args);
    if (!input.isEmpty()) process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(120000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

inline bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// `args` with each "@NAME" made a path in `dir` (bad-input tables name their files that way).
inline QStringList withPathsIn(const QTemporaryDir& dir, QStringList args) {
    for (QString& arg : args)
        if (arg.startsWith('@')) arg = dir.filePath(arg.mid(1));
    return args;
}

// The events of an events.jsonl, in order; none when the file does not exist (yet).
inline QList<QJsonObject> readEvents(const QString& path) {
    QFile file(path);
    QList<QJsonObject> events;
    if (!file.open(QIODevice::ReadOnly)) return events;
    for (const QByteArray& line : file.readAll().split('\n'))
        if (!line.isEmpty()) events << QJsonDocument::fromJson(line).object();
    return events;
}
