#include "core/common/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <exception>

namespace strata::common {

namespace {

std::atomic<bool> g_enabled{true};

std::string formatAmount(uint64_t amount, const std::string& unit) {
    if (unit == "bytes") return fmt::format("{:.1f} MB", double(amount) / 1e6);
    return fmt::format("{} {}", amount, unit);
}

}  // namespace

Progress::Progress(std::string label, uint64_t total, std::string unit)
    : m_label(std::move(label)),
      m_total(total),
      m_unit(std::move(unit)),
      m_start(std::chrono::steady_clock::now()),
      m_lastReport(m_start.time_since_epoch().count()),
      m_terminal(::isatty(STDERR_FILENO) != 0) {}

Progress::~Progress() {
    // Unwinding from an error: the error line is what the user needs to see, not a progress line.
    if (std::uncaught_exceptions() > 0) return;
    finish();
}

void Progress::setEnabled(bool enabled) {
    g_enabled = enabled;
}

void Progress::advance(uint64_t amount) {
    m_done += amount;
    auto now = std::chrono::steady_clock::now();
    // A terminal redraws ten times a second; a log gets a line every five seconds.
    auto interval = m_terminal ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
    auto sinceReport = [&] {
        return now - std::chrono::steady_clock::time_point(
                         std::chrono::steady_clock::duration(m_lastReport.load()));
    };
    if (sinceReport() < interval) return;
    std::unique_lock lock(m_reportMutex, std::try_to_lock);
    if (!lock.owns_lock() || sinceReport() < interval) return;
    m_lastReport = now.time_since_epoch().count();
    report(false);
}

void Progress::finish() {
    std::lock_guard lock(m_reportMutex);
    if (m_finished) return;
    m_finished = true;
    report(true);
}

void Progress::report(bool final) {
    if (!g_enabled) return;
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    uint64_t done = m_done, total = m_total;
    std::string line = fmt::format("{}: {}", m_label, formatAmount(done, m_unit));
    if (total > 0)
        line += fmt::format(" / {} ({:.0f}%)", formatAmount(total, m_unit),
                            100.0 * double(done) / double(total));
    line += fmt::format(" in {:.1f} s", seconds);
    if (m_terminal) {
        std::fprintf(stderr, "\r\033[K%s%s", line.c_str(), final ? "\n" : "");
    } else {
        std::fprintf(stderr, "%s\n", line.c_str());
    }
    std::fflush(stderr);
}

}  // namespace strata::common
