// The studio's own log: spdlog's default logger writes to the workspace's logs/studio.log
// (rotating: 5 MiB a file, 3 kept) and to the log console in the window, so what the studio did
// (workspaces opened, commands run and how they ended, runs started, errors shown) is on screen
// and on disk. A run's own log lines stay on the Train page, from the run history.
#pragma once

#include <filesystem>
#include <memory>

class QPlainTextEdit;

namespace spdlog {
class logger;
namespace sinks {
class sink;
template <typename Mutex>
class dist_sink;
}  // namespace sinks
}  // namespace spdlog

namespace strata::ui {

class StudioLog {
public:
    // `console` must outlive this object.
    explicit StudioLog(QPlainTextEdit* console);
    // Puts back the default logger there was before.
    ~StudioLog();
    StudioLog(const StudioLog&) = delete;
    StudioLog& operator=(const StudioLog&) = delete;

    // Writes from now on to WORKSPACE/logs/studio.log; false (said in the console) when the
    // file cannot be opened, and the console alone goes on.
    bool setWorkspace(const std::filesystem::path& workspace);

private:
    std::shared_ptr<spdlog::sinks::dist_sink<std::mutex>> m_sinks;
    std::shared_ptr<spdlog::logger> m_logger;
    std::shared_ptr<spdlog::logger> m_previous;
    std::shared_ptr<spdlog::sinks::sink> m_file;  // swapped on the next workspace
};

}  // namespace strata::ui
