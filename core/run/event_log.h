// The run folder's events.jsonl: one JSON object a line,
//   {"seq": N, "time": UNIX_SECONDS, "rank": R, "type": "...", "data": {...}}
// append-only, with a sequence number that keeps counting across resumes, so a reader that has
// seen events up to N asks for the ones after N. Each line is flushed as written (a reader
// tailing the file sees it at once) and the file is fsync'd before and after every checkpoint
// and at the end (sync()). A line cut short by a crash is removed when the log is opened again.
// docs/formats.md lists the types.
//
// A seq is never given twice, even when a power loss drops the log's unsynced tail after
// readers saw it: events.seq, beside the log, durably reserves the seqs up to a bound before any
// is used (a block at a time), and a log opened again numbers on from the larger of its last
// line and that bound. A clean close shrinks the bound to the last seq, so resuming after an
// ordinary stop numbers on without a gap. A writer's first event (run_started, or the
// run_finished a worker appends for a dead trainer) says in "after_seq" which event it went on
// from: a reader holding events between that and this one holds events the log lost.
#pragma once

#include "core/run/metrics_sink.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace strata::run {

class EventLog : public MetricsSink {
public:
    // Opens (or creates) the log for appending; throws common::Error naming the file.
    explicit EventLog(std::filesystem::path path, int rank = 0);
    ~EventLog() override;
    EventLog(const EventLog&) = delete;
    EventLog& operator=(const EventLog&) = delete;

    int64_t lastSeq() const { return m_seq; }
    // The seq of the log's last line when it was opened (0 for a new log).
    int64_t openedAfterSeq() const { return m_openedAfterSeq; }
    // Appends one event; `dataJson` is a serialized JSON object. `rank` is the process it is
    // from: this log's own unless it passes on another rank's.
    void append(std::string_view type, std::string_view dataJson, int rank = -1);
    void sync();

    void runStarted(const RunStarted& info) override;
    void step(const StepMetrics& metrics) override;
    void evaluated(const EvalMetrics& metrics) override;
    void checkpointStarting(int64_t step) override;
    void checkpointSaved(int64_t step, const std::string& path, double valLoss) override;
    void log(const std::string& level, const std::string& message) override;
    void pausedChanged(int64_t step, bool paused) override;
    void runFinished(int64_t step, RunStatus status, const std::string& message) override;
    void rankLog(int rank, const std::string& level, const std::string& message) override;

private:
    void appendRollouts(int64_t step, const InspectedRollouts& rollouts);
    void appendFp8(int64_t step, const std::vector<Fp8LayerStats>& layers);
    // Makes `bound` the durable bound of events.seq.
    void reserveSeqs(int64_t bound);

    std::filesystem::path m_path;
    std::filesystem::path m_reservationPath;
    std::FILE* m_file = nullptr;
    int m_rank;
    int64_t m_seq = 0;
    int64_t m_openedAfterSeq = 0;
    int64_t m_reservedSeq = 0;
    bool m_appended = false;  // this writer has appended an event
    std::string m_line;
};

// The validation passes recorded in an events.jsonl, in order; lines of other types are skipped
// and an unreadable line is an error naming the file and line.
std::vector<EvalMetrics> readEvaluations(const std::filesystem::path& path);

}  // namespace strata::run
