// The worker protocol's messages (docs/protocol.md is the contract): newline-delimited JSON, one
// object a line, in both directions over a pipe or an SSH channel.
//   client → worker: requests {"id": N, "request": "start", ...}
//   worker → client: {"type": "hello", ...} first, then {"type": "reply", "id": N, "data": {...}},
//                    {"type": "error", "id": N | null, "message": "..."}, and run events
//                    {"type": "metrics", "run": "ID", "seq": S, "time": T, "rank": R, "data":
//                    {...}}, and generated text {"type": "generated", "generation": G, "data":
//                    {...}}
// This file decodes requests (the untrusted direction: the fuzz target feeds it arbitrary bytes)
// and encodes the worker's own messages. Run events are the run folder's events.jsonl lines with
// the run id added, so they are forwarded, not re-encoded.
#pragma once

#include "core/common/error.h"
#include "core/model_spec/sampling_options.h"
#include "core/proto/chat_turns.h"
#include "core/proto/workspace_jobs.h"
#include "core/store/label_queue.h"
#include "core/store/run_catalog.h"
#include "core/store/run_history.h"
#include "core/store/workspace_files.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::proto {

inline constexpr int kProtocolVersion = 1;
// A line longer than this is refused (and skipped to its end) without being held in memory.
inline constexpr size_t kMaxLineBytes = size_t(16) << 20;

enum class RequestKind {
    Hello,
    Start,
    Pause,
    Resume,
    Stop,
    Status,
    ListRuns,
    Subscribe,
    Unsubscribe,
    Generate,
    Cancel,
    // The label requests, each answered by the workspace's labeling queue (LabelService).
    LabelClaim,
    LabelSubmit,
    LabelRelease,
    LabelImport,
    LabelExport,
    LabelStats,
    LabelSettings,
    LabelUnlabel,
    LabelDisagreements,
    LabelAdjudicate,
    // The workspace's run history (HistoryService): the runs, then, from HistoryRun to
    // HistoryComment, the requests about one run.
    HistoryRuns,
    HistoryDatasets,
    HistoryTokenizers,
    HistoryRecordShards,
    HistoryCheckpointsByRun,
    HistoryRun,
    HistoryMetricKeys,
    HistorySeries,
    HistorySamples,
    HistoryMetricRows,
    HistoryCheckpoints,
    HistoryLogs,
    HistoryRolloutSteps,
    HistoryRollouts,
    HistoryDiff,
    HistoryLineage,
    HistoryDetails,
    HistoryComments,
    HistoryComment,
    // The workspace's files and the jobs run in it (WorkspaceService).
    FilesList,
    FilesRead,
    FilesWrite,
    CleanPreview,
    JobStart,
    JobOutput,
    JobCancel
};
const char* requestName(RequestKind kind);
// history_run to history_comment: the requests about one run of the history (HistoryRequest).
bool isRunHistoryRequest(RequestKind kind);
// files_list to job_cancel: the requests about the workspace's files and jobs.
bool isWorkspaceRequest(RequestKind kind);

// What to run. Paths are absolute or relative to the worker's workspace, and must lie inside it.
struct RunSpec {
    std::string stage = "pretrain";
    std::string name;        // a readable prefix for the run id; the config file's name if empty
    std::string configText;  // the run config, TOML
    std::string shards;      // overrides data.shards when set
    std::string tokenizer;   // overrides data.tokenizer when set
    std::string resumeRun;   // continue this run from its latest checkpoint instead
    std::vector<std::string> overrides;  // "key=value" settings over the config (`--set`)
    int numProcesses = 1;                // ranks on this host (torchrun's --nproc-per-node)
    // A run across several hosts: each host's worker is asked with the same config, nproc and
    // nnodes, and its node_rank; node 0's worker is given `masterAddress`, the address the other
    // hosts reach it by (its rendezvous listens there alone), and picks the port (the reply's
    // master_port); the others are given `master`, HOST:PORT of node 0, again on each resume.
    int numNodes = 1;
    int nodeRank = 0;
    std::string masterAddress;
    std::string master;
    // "slurm": the worker, on a cluster's login host, submits the run as a batch job of
    // numNodes nodes with numProcesses ranks each (core/proto/slurm_job.h), with these extra
    // sbatch options; empty: it starts the trainers itself.
    std::string scheduler;
    std::vector<std::string> sbatchOptions;
};

// Text to generate: each prompt continued in turn by a checkpoint (or model folder) inside the
// workspace. An empty prompt asks for text from nothing.
struct GenerateSpec {
    std::string checkpoint;
    std::vector<std::string> prompts;
    // Each prompt is a user turn of the chat template, answered up to the end of the turn.
    bool chat = false;
    // Chat only: the conversation so far, rendered through the template before each prompt.
    std::vector<ChatTurn> history;
    model_spec::SamplingOptions sampling = model_spec::defaultSamplingOptions();
};

// The workspace's labeling queue (store::LabelQueue). An empty annotator is the login the worker
// runs as: over SSH, the person who logged in.
struct LabelRequest {
    std::string annotator;    // every request but export and stats (the reviewer's, adjudicating)
    std::string leastSureOf;  // claim
    int count = 1;            // claim: pairs to hold
    int64_t pair = 0;         // release, unlabel, adjudicate
    store::LabelSubmission submission;             // submit
    std::vector<store::PreferencePair> pairs;      // import
    store::ExportCursor after;                     // export: the page after this label
    int64_t limit = 1000;                          // export: lines in the page
    std::optional<store::QueueSettings> settings;  // settings: replace them (else read them)
    store::Choice decision = store::Choice::Skip;  // adjudicate
    std::string note;                              // adjudicate
};

// One run of the workspace's run history (store::RunCatalog), by its id there.
struct HistoryRequest {
    int64_t run = 0;
    int64_t other = 0;     // diff: the second run
    bool allKeys = false;  // diff: the keys set alike as well
    std::string key;       // series, samples, metric rows: the metric
    int64_t fromStep = 0;  // series, samples: the steps [fromStep, toStep]
    int64_t toStep = INT64_MAX;
    int64_t afterStep = INT64_MIN;  // metric rows: the page after this step; rollout steps
    int64_t afterSeq = 0;           // logs: the lines after this event
    int64_t step = 0;               // rollouts: the step whose rollouts to give
    // Series: buckets (the chart's width); samples: steps sampled; metric rows and logs: rows
    // a page.
    int count = 0;
    store::RunDetails details;  // details
    std::string author;         // comment; empty: the login the worker runs as
    std::string body;           // comment
};

// A file or folder of the workspace: every path must lie inside it.
struct FilesRequest {
    std::string path;                               // list, read, write
    std::string text;                               // write: the file's bytes, UTF-8 text
    bool replace = true;                            // write: false refuses an existing file
    int64_t limit = store::kMaxWorkspaceFileBytes;  // read: the most bytes to take
    std::string config;                             // clean_preview: the settings, TOML
    std::vector<std::string> sources;               // clean_preview
};

// A job run in the workspace (WorkspaceJobs).
struct JobRequest {
    JobSpec spec;       // job_start
    std::string job;    // job_output, job_cancel
    int64_t after = 0;  // job_output: the offset of its output to read on from
};

struct Request {
    int64_t id = 0;
    RequestKind kind = RequestKind::Status;
    int protocol = 0;            // hello: the version the client speaks
    std::string client;          // hello: who is asking, for the worker's log
    std::string run;             // pause, resume, stop, status, subscribe, unsubscribe
    int64_t afterSeq = 0;        // subscribe: send the events after this sequence number
    RunSpec spec;                // start
    GenerateSpec generate;       // generate
    int64_t generation = 0;      // cancel: the generation to end
    LabelRequest label;          // label_*
    store::RunFilter runFilter;  // history_runs
    HistoryRequest history;      // the other history_* requests
    FilesRequest files;          // files_*, clean_preview, history_record_shards (its path)
    JobRequest job;              // job_*
};

// A request that cannot be served as sent: the message is one line for the error reply, and the
// request id when the line got far enough to have one.
class ProtocolError : public common::Error {
public:
    ProtocolError(std::optional<int64_t> requestId, const std::string& message)
        : common::Error(message), m_requestId(requestId) {}
    std::optional<int64_t> requestId() const { return m_requestId; }

private:
    std::optional<int64_t> m_requestId;
};

// Decodes one request line (without its newline). Throws ProtocolError for anything that is not
// a well-formed request: bad JSON, a missing or mistyped field, an unknown request or field.
Request decodeRequest(std::string_view line);

// Encoders for the client side; each returns one line without its newline.
std::string encodeRequest(const Request& request);

// What the client reads from a worker.
enum class MessageKind { Hello, Reply, Error, RunEvent, Generated, JobStatus };

struct WorkerMessage {
    MessageKind kind = MessageKind::Error;
    std::optional<int64_t> id;  // reply and error: the request's id
    std::string dataJson;       // hello: capabilities; reply and run event: data, as JSON text
    std::string message;        // error
    int protocol = 0;           // hello
    std::string strataVersion;  // hello
    std::string run;            // run event, job status
    int64_t seq = 0;            // run event
    double time = 0;            // run event
    int rank = 0;               // run event
    std::string type;           // run event: metrics, eval, log, checkpoint, run_finished, ...
    int64_t generation = 0;     // generated
};

// Decodes one line from a worker; throws ProtocolError when it is not a worker message.
WorkerMessage decodeWorkerMessage(std::string_view line);

// The worker's own messages, each one line without its newline.
std::string helloMessage(std::string_view strataVersion, std::string_view capabilitiesJson);
std::string replyMessage(int64_t id, std::string_view dataJson);
std::string errorMessage(std::optional<int64_t> id, std::string_view message);
// A piece of a generation's output (`data` is one line of `strata-cli generate --json`, or the
// worker's {"finished": true} or {"error": "..."} that ends it).
std::string generatedMessage(int64_t generation, std::string_view dataJson);
// A subscribed run's summary (as a status reply gives it), sent when its batch job changes
// state: queued, started, requeued, ended.
std::string jobStatusMessage(std::string_view summaryJson);
// A run folder's events.jsonl line with the run id spliced in after the opening brace.
std::string runEventMessage(std::string_view runId, std::string_view eventLine);

}  // namespace strata::proto
