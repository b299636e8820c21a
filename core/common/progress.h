// Progress of long work on stderr: a redrawn bar on a terminal, plain lines otherwise (logs). A
// parent that reads its child's progress (the studio) sets STRATA_PROGRESS=lines in the child's
// environment and gets machine-readable lines instead, which parseProgressLine() reads back:
//   progress {"label":"clean","done":12000000,"total":48000000,"unit":"bytes","seconds":1.2}
// Thread-safe: workers call advance() from any thread; output is rate-limited.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace strata::common {

// The environment variable, and its value, that ask a child for progress lines.
inline constexpr const char* kProgressEnvironment = "STRATA_PROGRESS";
inline constexpr const char* kProgressLines = "lines";

// One report of a Progress.
struct ProgressReport {
    std::string label;
    uint64_t done = 0;
    uint64_t total = 0;  // 0: unknown
    std::string unit;    // what is counted; "bytes" prints as MB
    double seconds = 0;  // since the work began

    // 100 · done / total, or nothing while the total is unknown.
    std::optional<double> percent() const;
};

// "clean: 12.0 MB / 48.0 MB (25%) in 1.2 s", what a person reads.
std::string progressText(const ProgressReport& report);
// The progress line (without its newline), and the report it holds; nothing for any other line.
std::string progressLine(const ProgressReport& report);
std::optional<ProgressReport> parseProgressLine(std::string_view line);

class Progress {
public:
    // total 0 means unknown; `unit` names what is counted ("bytes" prints as MB).
    Progress(std::string label, uint64_t total, std::string unit);
    ~Progress();

    void advance(uint64_t amount);
    void setTotal(uint64_t total) { m_total = total; }
    // Prints the last line; called by the destructor if not before (unless an error unwinds).
    void finish();

    // Silences every Progress in this process (tests, --quiet).
    static void setEnabled(bool enabled);

private:
    enum class Output { Bar, Plain, Lines };

    void report(bool final);

    std::string m_label;
    std::atomic<uint64_t> m_total;
    std::string m_unit;
    std::atomic<uint64_t> m_done{0};
    std::chrono::steady_clock::time_point m_start;
    // Read by every advance() before taking the lock, so atomic: steady_clock ticks.
    std::atomic<std::chrono::steady_clock::rep> m_lastReport;
    std::mutex m_reportMutex;
    Output m_output;
    bool m_finished = false;
};

}  // namespace strata::common
