// A stand-in for strata-cli in the tests of the dialogs that run one command (Import Model…,
// Export…): a shell script that writes its arguments, one a line, to a file, prints `output`
// (progress lines, the command's last line) and exits with `exitCode`. Running the real command
// on a real model takes far longer than these tests may.
#pragma once

#include <QFile>
#include <QString>
#include <QStringList>

#include <filesystem>
#include <fstream>
#include <string>

namespace strata::test {

struct StubCli {
    std::filesystem::path script;
    std::filesystem::path arguments;  // the last run's arguments, one a line

    StubCli(const std::filesystem::path& folder, const std::string& output, int exitCode = 0,
            const std::string& extra = {})
        : script(folder / "stub-cli"), arguments(folder / "stub-arguments") {
        std::filesystem::create_directories(folder);
        std::filesystem::remove(arguments);  // an earlier stand-in's run
        std::ofstream(script) << "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done > '"
                              << arguments.string() << "'\n"
                              << extra << "printf '%s\\n' '" << output << "'\nexit " << exitCode
                              << "\n";
        std::filesystem::permissions(script, std::filesystem::perms::owner_all);
    }

    QStringList recorded() const {
        QFile file(QString::fromStdString(arguments.string()));
        if (!file.open(QIODevice::ReadOnly)) return {};
        return QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
    }
};

}  // namespace strata::test
