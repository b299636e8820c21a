#include "ui/common/studio_log.h"

#include <QPlainTextEdit>

#include <spdlog/sinks/dist_sink.h>
#include <spdlog/sinks/qt_sinks.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/spdlog.h>

namespace strata::ui {

namespace {

constexpr size_t kFileBytes = 5 << 20;
constexpr size_t kFilesKept = 3;

}  // namespace

StudioLog::StudioLog(QPlainTextEdit* console)
    : m_sinks(std::make_shared<spdlog::sinks::dist_sink_mt>()),
      m_logger(std::make_shared<spdlog::logger>("strata", m_sinks)),
      m_previous(spdlog::default_logger()) {
    // The console's appendPlainText is invoked queued from other threads.
    auto toConsole = std::make_shared<spdlog::sinks::qt_sink_mt>(console, "appendPlainText");
    toConsole->set_pattern("%H:%M:%S %l %v");
    m_sinks->add_sink(toConsole);
    m_logger->set_level(spdlog::level::info);
    m_logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(m_logger);
}

StudioLog::~StudioLog() {
    spdlog::set_default_logger(m_previous);
}

bool StudioLog::setWorkspace(const std::filesystem::path& workspace) {
    if (m_file) m_sinks->remove_sink(m_file);
    m_file.reset();
    std::filesystem::path file = workspace / "logs" / "studio.log";
    try {
        auto sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(file.string(),
                                                                           kFileBytes, kFilesKept);
        sink->set_pattern("%Y-%m-%d %H:%M:%S.%e %l %v");
        m_sinks->add_sink(sink);
        m_file = sink;
    } catch (const spdlog::spdlog_ex& error) {
        spdlog::warn("cannot write the log file {}: {}", file.string(), error.what());
        return false;
    }
    return true;
}

}  // namespace strata::ui
