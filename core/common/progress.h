// Progress of long work on stderr: a redrawn bar on a terminal, plain lines otherwise (logs, the
// GUI's pipe). Thread-safe: workers call advance() from any thread; output is rate-limited.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace strata::common {

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
    void report(bool final);

    std::string m_label;
    std::atomic<uint64_t> m_total;
    std::string m_unit;
    std::atomic<uint64_t> m_done{0};
    std::chrono::steady_clock::time_point m_start;
    // Read by every advance() before taking the lock, so atomic: steady_clock ticks.
    std::atomic<std::chrono::steady_clock::rep> m_lastReport;
    std::mutex m_reportMutex;
    bool m_terminal;
    bool m_finished = false;
};

}  // namespace strata::common
