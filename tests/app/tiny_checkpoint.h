// A checkpoint for the tests of app/ that need a model: the tiny model of tests/tiny_data.h
// pretrained for two steps by `strata-cli train`, as a user would.
#pragma once

#include "cli_runner.h"
#include "tests/tiny_data.h"

#include <QDir>

#include <fstream>

// Writes the tiny data and config into `dir`, trains there, and returns the step-2 checkpoint
// folder; on failure, the empty string (with the trainer's stderr on the test log).
inline QString trainTinyCheckpoint(const QString& dir) {
    tiny::writeData(dir.toStdString());
    std::string config = tiny::kConfig;
    config.replace(config.find("max_steps = 6"), 13, "max_steps = 2\nthreads = 1");
    const QDir folder(dir);
    std::ofstream(folder.filePath("tiny.toml").toStdString()) << config;
    CliRun train = runCli({"train", folder.filePath("tiny.toml"), "-o", folder.filePath("run"),
                           "--set", "checkpoint.every=2"});
    if (train.exitCode != 0) {
        qWarning("%s", qPrintable(train.err));
        return {};
    }
    return folder.filePath("run/checkpoints/step-0000002");
}
