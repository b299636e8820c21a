// The workspace's run history (strata.db): runs and what they produced, as the worker protocol
// delivers it. One RunHistory is one connection; the process that owns it writes from one thread
// (the client's ingest thread, the GUI's store thread). Every batch of events from a worker lands
// in one BEGIN IMMEDIATE transaction together with the run's last ingested sequence number, so a
// client that dies mid-batch and reconnects asks for "after last_seq" and stores each event
// exactly once. Metrics use synchronous=NORMAL: the run folder's events.jsonl can replay them.
// Labels are in label_store.h, on a connection of their own with synchronous=FULL.
#pragma once

#include "core/store/config_diff.h"
#include "core/store/database.h"
#include "core/store/metric_series.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::store {

// What a run is doing; the names are the protocol's and the database's.
enum class RunState { Created, Running, Paused, Completed, Stopped, Interrupted, Failed };
const char* runStateName(RunState state);
// Throws common::Error naming the value when it is not a state name.
RunState parseRunState(std::string_view name);
// The same without throwing: nullopt for a name this build does not know.
std::optional<RunState> findRunState(std::string_view name);
// Completed, stopped, interrupted or failed: nothing more happens until someone resumes it.
bool hasEnded(RunState state);

// A further host of a run across several (node 1 on; node 0 is the run's own host, name and
// folder): where its worker keeps its part of the run.
struct RunNode {
    std::string host;    // "local" or the SSH target
    std::string name;    // that worker's run id
    std::string runDir;  // the run folder on that host
    bool operator==(const RunNode&) const = default;
};

struct NewRun {
    std::string name;        // the worker's run id, also the run folder's name
    std::string host;        // "local" or the SSH target it runs on
    std::string stage;       // pretrain, sft, reward, dpo, ppo, grpo
    std::string configText;  // the resolved run.toml
    std::string runDir;      // the run folder on its host
    std::optional<int64_t> parentRunId;
    std::string parentCheckpoint;  // the checkpoint folder it starts from, or empty
    std::vector<std::string> tags;
    std::string notes;
    std::vector<RunNode> nodes;  // nodes 1 on, for a run across several hosts
    std::string createdBy;       // the login that started it, as its worker saw it
    std::string jobId;           // the batch job it was submitted as (Slurm), or empty
};

struct RunRecord {
    int64_t id = 0;
    std::string name;   // the worker's run id and the run folder's name; never changes
    std::string title;  // what reviewers renamed it to, or empty
    const std::string& shownName() const { return title.empty() ? name : title; }
    std::string host;
    std::string createdBy;  // the login that started it (over SSH, the host's), or empty
    std::string stage;
    RunState state = RunState::Created;
    std::string configText;
    std::string runDir;
    double createdAt = 0;  // unix seconds
    double startedAt = 0;  // 0 until the first run_started event
    double endedAt = 0;    // 0 while it can still run
    std::optional<int64_t> parentRunId;
    std::string parentCheckpoint;
    std::vector<std::string> tags;
    std::string notes;
    std::vector<RunNode> nodes;  // nodes 1 on, for a run across several hosts; else empty
    int64_t lastSeq = 0;         // the last event sequence number stored
    int64_t lastStep = 0;        // the highest metric step stored, of any key
    double lastLoss = 0;         // the "loss" metric at its highest step (NaN when none)
    // A run submitted to a batch scheduler (Slurm): its job now, and what the scheduler last
    // said of it ("PENDING (Priority)", "RUNNING", "COMPLETED"); both empty otherwise.
    std::string jobId;
    std::string jobState;
};

// A reviewer's comment on a run.
struct RunComment {
    int64_t id = 0;
    std::string author;  // the login that wrote it
    std::string body;
    double createdAt = 0;  // unix seconds
};

enum class RunSortKey { Created, Name, State, Stage, Host, LastStep, LastLoss };

// Every field set narrows the list; all comparisons are parameter-bound, never spliced into SQL.
struct RunFilter {
    std::string nameContains;  // a substring of the name or title, ASCII case ignored; no wildcards
    std::optional<std::string> stage;
    std::optional<RunState> state;
    std::optional<std::string> host;
    std::optional<std::string> tag;
    // Ties go by id in the same direction; runs with no loss come last either way. State sorts
    // in the order a run goes through its states.
    RunSortKey sortBy = RunSortKey::Created;
    bool descending = true;
    int limit = 1000;  // 0 or less: no limit
};

struct MetricRow {
    int64_t seq;      // the event it came from
    std::string key;  // "loss", "lr", "val_loss", "router.3.entropy", ...
    int64_t step;
    double value;
    double wallTime;  // unix seconds
    int rank = 0;
};

struct LogRow {
    int64_t seq;
    double time;
    int rank;
    std::string level;  // info, warning, error
    std::string message;
};

struct CheckpointRow {
    int64_t seq;  // the event it came from
    int64_t step;
    std::string path;
    double valLoss;  // NaN when unknown
    double savedAt;
};

// The rollouts a PPO or GRPO step recorded for the inspector: the `rollouts` event's data.
struct RolloutRow {
    int64_t seq;  // the event it came from
    int64_t step;
    std::string dataJson;
};

// One worker delivery for one run, stored atomically. Two clients may follow one run into one
// store: whatever has a seq at or below the run's stored lastSeq (read inside the transaction)
// is already there and is skipped, so each event is stored once whoever delivers it first.
struct IngestBatch {
    int64_t runId = 0;
    int64_t lastSeq = 0;  // the highest seq in the batch; becomes the run's lastSeq
    // The seq of the event that carried state/startedAt/endedAt; they are applied only when it
    // is above the stored lastSeq.
    int64_t stateSeq = 0;
    // A resumed run re-does the steps after its checkpoint: metrics and rollouts with step > this
    // are removed before the batch's go in, so each (key, step) is held once, with the value
    // of the run that continued.
    std::optional<int64_t> truncateAfterStep;
    // The run_started event that asked for the truncation; applied only when above lastSeq.
    int64_t truncateSeq = 0;
    // (after, seq) of an event whose writer numbered on past seqs the log no longer holds (its
    // after_seq: a power loss took the log's unsynced tail). The logs, checkpoints and rollouts
    // stored with a seq strictly between the two are removed; applied only when seq is above
    // lastSeq.
    std::optional<std::pair<int64_t, int64_t>> lostSeqs;
    std::vector<MetricRow> metrics;
    std::vector<LogRow> logs;
    std::vector<CheckpointRow> checkpoints;
    std::vector<RolloutRow> rollouts;
    std::optional<RunState> state;
    double startedAt = 0;  // set when nonzero
    double endedAt = 0;    // set when nonzero
    // The run config as the trainer resolved it (every key, overrides applied); replaces the
    // run's config text, under the same rule as the state.
    std::optional<std::string> configText;
};

// SeriesBucket (a min/max envelope point of a downsampled series) is in metric_series.h,
// ConfigDifference in config_diff.h.

struct DatasetRecord {
    std::string path;  // relative to the workspace when inside it
    std::string fingerprint;
    std::string statsJson;  // the manifest's counts, as JSON text
};

class MetricStore;

// The rows a page of an export reads: a few megabytes of CSV.
inline constexpr int kMetricRowsPerPage = 50000;

class RunHistory {
public:
    // Opens (creating) the database and brings its schema to this build's version; a database
    // from a newer Strata is refused with an error naming the file.
    explicit RunHistory(const std::filesystem::path& file);
    ~RunHistory();
    RunHistory(const RunHistory&) = delete;
    RunHistory& operator=(const RunHistory&) = delete;

    int64_t createRun(const NewRun& run);
    std::optional<RunRecord> findRun(const std::string& host, const std::string& name);
    RunRecord run(int64_t id);  // throws common::Error when there is no such run
    std::vector<RunRecord> listRuns(const RunFilter& filter = {});
    void setState(int64_t runId, RunState state);
    // The batch job that runs the run now, and its state as the scheduler says it.
    void setJob(int64_t runId, const std::string& jobId, const std::string& jobState);
    void setTags(int64_t runId, const std::vector<std::string>& tags);
    void setNotes(int64_t runId, const std::string& notes);
    // Renames the run for people; an empty title shows the name again.
    void setTitle(int64_t runId, const std::string& title);
    // Adds `author`'s comment to the run and returns its id. An empty author or body, or an
    // unknown run, is an error and nothing is added.
    int64_t addComment(int64_t runId, const std::string& author, const std::string& body);
    // The run's comments, oldest first.
    std::vector<RunComment> comments(int64_t runId);
    // Removes the run and everything recorded about it (metrics, checkpoints, logs, tags,
    // rollouts, comments); runs started from it keep going but lose their parent link. The run
    // folder is left alone.
    void deleteRun(int64_t runId);

    // Stores what the batch holds above the run's stored lastSeq (see IngestBatch), in one
    // transaction. Each (key, step) is stored once: a metric row whose key and step are already
    // stored, by an earlier batch or earlier in this one, is left out. Throws common::Error when
    // there is no such run.
    void ingest(const IngestBatch& batch);

    // The metric keys the run has rows of, sorted.
    std::vector<std::string> metricKeys(int64_t runId);
    // At most `pixelWidth` buckets covering the steps [fromStep, toStep] of one series (pass 0
    // and INT64_MAX for all of it), in step order, read from a min/max tile pyramid so a series
    // of millions of points answers in milliseconds. Every stored value in the range lies in
    // the bucket whose [firstStep, lastStep] holds its step, and each bucket's minimum, maximum,
    // first and last values are stored values. NaN values are left out; an unknown key gives
    // no buckets.
    std::vector<SeriesBucket> series(int64_t runId, const std::string& key, int64_t fromStep,
                                     int64_t toStep, int pixelWidth);
    // See MetricStore::sampleSteps; empty for a key the run does not have.
    std::vector<StepSample> sampleSteps(int64_t runId, const std::string& key, int64_t fromStep,
                                        int64_t toStep, int count);
    std::vector<CheckpointRow> checkpoints(int64_t runId);
    std::vector<LogRow> logs(int64_t runId, int64_t afterSeq = 0, int limit = 1000);
    // The steps after `afterStep` with recorded rollouts, in order, and one step's (nullopt when
    // it has none).
    std::vector<int64_t> rolloutSteps(int64_t runId, int64_t afterStep = 0);
    std::optional<RolloutRow> rollouts(int64_t runId, int64_t step);

    // Key-by-key differences of two runs' configs, sorted by key; equal keys are left out unless
    // `allKeys`.
    std::vector<ConfigDifference> diffConfigs(int64_t leftRunId, int64_t rightRunId,
                                              bool allKeys = false);
    // Up to `limit` rows of the series `key` after `afterStep`, in step order (their seq left 0);
    // none for a key the run does not have.
    std::vector<MetricRow> metricRows(int64_t runId, const std::string& key, int64_t afterStep,
                                      int limit);
    // Writes the run's metrics as CSV (metric_csv.h) to `out`, through a temporary file renamed
    // when complete.
    void exportMetricsCsv(int64_t runId, const std::filesystem::path& out);

    // Upserts by path: recording a path again replaces its fingerprint and stats.
    void recordDataset(const DatasetRecord& dataset);
    void recordTokenizer(const DatasetRecord& tokenizer);
    std::vector<DatasetRecord> datasets();  // sorted by path
    std::vector<DatasetRecord> tokenizers();

    // A consistent copy of the whole database through SQLite's online backup API, written to a
    // temporary name and renamed, so readers never see half a backup.
    void backup(const std::filesystem::path& to);

    Database& database() { return m_db; }

private:
    struct Statements;

    void insertTags(int64_t runId, const std::vector<std::string>& tags);
    std::vector<std::string> tagsOf(int64_t runId);
    std::vector<RunNode> nodesOf(int64_t runId);
    RunRecord readRun(Statement& statement);
    void requireRun(int64_t runId);

    Database m_db;
    std::unique_ptr<Statements> m_statements;
    std::unique_ptr<MetricStore> m_metrics;
};

}  // namespace strata::store
