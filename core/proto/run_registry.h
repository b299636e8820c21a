// The runs a worker knows: the folders under WORKSPACE/runs/ that a worker started. Each holds
//   run.json     what was asked for (id, stage, ranks, when)
//   run.toml     the run config, data paths made absolute
//   process.json the trainer processes (pid and start time per rank) and their rendezvous,
//                rewritten on each launch
//   job.sh, job.json  for a run submitted to Slurm instead: its batch script and its job id,
//                rewritten on each submission; the job's state comes from squeue
//   events.jsonl the trainer's event log (core/run/event_log.h)
//   logs/        each rank's stdout and stderr
// A run's state is read from its event log, and a run whose processes are gone without a
// run_finished event is closed here: a run_finished event with status "failed" (the error line
// its log ends with) or "interrupted" is appended, so every reader of the log agrees on how it
// ended, and resuming it continues the same sequence numbers. Nothing here is kept that a later
// worker could not rebuild from the folders.
#pragma once

#include "core/proto/detached_process.h"
#include "core/proto/event_tail.h"
#include "core/proto/protocol.h"
#include "core/proto/slurm_job.h"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace strata::proto {

struct RunSummary {
    std::string id;
    std::string stage;
    std::string startedBy;  // the login of the worker that started it
    std::string state;      // created, running, paused, completed, stopped, interrupted, failed
    std::string message;    // why it failed, when it did
    std::filesystem::path runDir;
    int64_t lastSeq = 0;
    int64_t step = 0;
    int64_t maxSteps = 0;
    int numProcesses = 1;         // ranks on this host
    int numNodes = 1;             // hosts of the run
    int nodeRank = 0;             // this host among them; its ranks are nodeRank * numProcesses on
    std::string master;           // HOST:PORT its ranks rendezvous at in their latest launch
    bool processRunning = false;  // a trainer runs, or a Slurm job is waiting or running
    // A run submitted to Slurm: its job now, and what squeue last said of it (nullopt once
    // Slurm no longer knows the job).
    std::string jobId;
    std::optional<SlurmJobState> job;
};
// {"run": ..., "stage": ..., "state": ..., ...} for status and list_runs replies.
std::string summaryJson(const RunSummary& summary);

class RunRegistry {
public:
    // `cli` is the strata-cli executable the trainers run as.
    RunRegistry(std::filesystem::path workspace, std::filesystem::path cli);
    ~RunRegistry();

    // Creates the run folder and launches its trainer(s); returns the new run's id. A spec that
    // cannot run (a path outside the workspace, a config that is not TOML, an unknown stage, a
    // run to resume that is still running or has any process or trainer alive) is a
    // common::Error and leaves nothing behind.
    std::string start(const RunSpec& spec);
    // Pause, Resume or Stop, as a signal to the run's processes (through scancel for a Slurm
    // job; stopping a job still waiting for its nodes cancels it).
    void control(const std::string& id, RequestKind kind);
    RunSummary summary(const std::string& id);
    std::vector<RunSummary> list();
    std::filesystem::path eventsPath(const std::string& id) const;
    // Throws common::Error when there is no such run.
    void requireRun(const std::string& id) const;
    // Resolves `path` against the workspace; throws common::Error naming `what` when it lies
    // outside.
    std::filesystem::path insideWorkspace(const std::string& path, std::string_view what) const;
    // Problems met while keeping runs' states up to date (a run's end that cannot be written to
    // its log: a full disk, a file-size limit), each once, for the worker to report; the runs
    // stay as their logs say.
    std::vector<std::string> takeNotices();

private:
    struct Tracked;
    Tracked& tracked(const std::string& id);
    void refresh(Tracked& run);
    // Appends run_finished for a run whose processes are all gone without one; never throws.
    void closeIfDead(Tracked& run);
    // closeIfDead()'s work, with the run folder's lock held.
    void closeLocked(Tracked& run);
    // Throws common::Error when any process of the run, or any trainer in its folder, is alive.
    void requireNoTrainer(const Tracked& run) const;
    void report(Tracked& run, const std::string& problem);
    // Starts the run's trainers on its run.toml (with --resume: from its latest checkpoint);
    // a node after the first rendezvouses at `master`, node 0 at a free port of
    // `masterAddress` (default: where it listened before, or 127.0.0.1).
    void launch(Tracked& run, bool resume, const std::string& masterAddress,
                const std::string& master);
    // Submits the run as a Slurm job (which resumes from the latest checkpoint when there is
    // one) and records the job.
    void submit(Tracked& run);
    // Asks squeue about the jobs of the Slurm runs among `runs` (one call for all), each at
    // most every few seconds; a squeue that cannot answer leaves what it said before.
    void refreshJobs(const std::vector<Tracked*>& runs);
    std::string newRunId(const std::string& name);

    std::filesystem::path m_workspace;
    std::filesystem::path m_cli;
    std::map<std::string, std::unique_ptr<Tracked>> m_runs;
    std::vector<std::string> m_notices;
};

}  // namespace strata::proto
