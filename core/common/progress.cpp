#include "core/common/progress.h"

#include "core/common/json_writer.h"

#include <fmt/format.h>
#include <simdjson.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>

namespace strata::common {

namespace {

constexpr std::string_view kLinePrefix = "progress ";

std::atomic<bool> g_enabled{true};

std::string formatAmount(uint64_t amount, const std::string& unit) {
    if (unit == "bytes") return fmt::format("{:.1f} MB", double(amount) / 1e6);
    return fmt::format("{} {}", amount, unit);
}

}  // namespace

std::optional<double> ProgressReport::percent() const {
    if (total == 0) return std::nullopt;
    return 100.0 * double(done) / double(total);
}

std::string progressText(const ProgressReport& report) {
    std::string text = fmt::format("{}: {}", report.label, formatAmount(report.done, report.unit));
    if (std::optional<double> percent = report.percent())
        text += fmt::format(" / {} ({:.0f}%)", formatAmount(report.total, report.unit), *percent);
    text += fmt::format(" in {:.1f} s", report.seconds);
    return text;
}

std::string progressLine(const ProgressReport& report) {
    return std::string(kLinePrefix) + JsonWriter()
                                          .beginObject()
                                          .field("label", report.label)
                                          .field("done", report.done)
                                          .field("total", report.total)
                                          .field("unit", report.unit)
                                          .field("seconds", report.seconds)
                                          .endObject()
                                          .take();
}

std::optional<ProgressReport> parseProgressLine(std::string_view line) {
    if (!line.starts_with(kLinePrefix)) return std::nullopt;
    line.remove_prefix(kLinePrefix.size());
    // One parser per thread, kept: its buffers are allocated once, not for every line.
    thread_local simdjson::dom::parser parser;
    simdjson::dom::object object;
    ProgressReport report;
    std::string_view label, unit;
    if (parser.parse(simdjson::padded_string(line)).get(object) || object["label"].get(label) ||
        object["done"].get(report.done) || object["total"].get(report.total) ||
        object["unit"].get(unit) || object["seconds"].get(report.seconds))
        return std::nullopt;
    report.label = std::string(label);
    report.unit = std::string(unit);
    return report;
}

Progress::Progress(std::string label, uint64_t total, std::string unit)
    : m_label(std::move(label)),
      m_total(total),
      m_unit(std::move(unit)),
      m_start(std::chrono::steady_clock::now()),
      m_lastReport(m_start.time_since_epoch().count()) {
    const char* asked = std::getenv(kProgressEnvironment);
    m_output = asked && std::strcmp(asked, kProgressLines) == 0 ? Output::Lines
               : ::isatty(STDERR_FILENO) != 0                   ? Output::Bar
                                                                : Output::Plain;
}

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
    // A terminal redraws ten times a second, a parent's progress bar moves twice a second, and a
    // log gets a line every five seconds.
    auto interval = m_output == Output::Bar     ? std::chrono::milliseconds(100)
                    : m_output == Output::Lines ? std::chrono::milliseconds(500)
                                                : std::chrono::milliseconds(5000);
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
    ProgressReport now{
        m_label, m_done, m_total, m_unit,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count()};
    switch (m_output) {
        case Output::Bar:
            std::fprintf(stderr, "\r\033[K%s%s", progressText(now).c_str(), final ? "\n" : "");
            break;
        case Output::Plain:
            std::fprintf(stderr, "%s\n", progressText(now).c_str());
            break;
        case Output::Lines:
            std::fprintf(stderr, "%s\n", progressLine(now).c_str());
            break;
    }
    std::fflush(stderr);
}

}  // namespace strata::common
