// A run as a Slurm batch job, for a worker on a cluster's login host: the job script that starts
// the run's ranks on the allocated nodes, and sbatch, squeue and scancel to submit, watch and
// signal the job. The workspace lies on the cluster's shared file system, so the ranks write the
// run folder where the worker reads it. The job is submitted requeueable: when Slurm requeues it
// (preemption, a node failure) the same script runs again and the trainer continues the run
// from its latest checkpoint. Without slurmdbd, squeue knows a finished job only for the
// cluster's MinJobAge (300 s by default); after that the job has simply ended.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace strata::proto {

struct SlurmJob {
    std::string runId;  // the job's name
    std::filesystem::path runDir;
    std::filesystem::path workspace;  // the job's working folder
    std::filesystem::path cli;        // the strata-cli the ranks run (on the shared file system)
    int nodes = 1;
    int tasksPerNode = 1;                    // ranks on each node
    std::vector<std::string> sbatchOptions;  // "--partition=gpu", "--time=4:00:00", ...
};

// The batch script: torchrun's variables from Slurm's (RANK from SLURM_PROCID, LOCAL_RANK from
// SLURM_LOCALID, WORLD_SIZE from SLURM_NTASKS; rank 0 listens on the allocation's first node at
// a port derived from the job id), then one `strata-cli train` a task through srun.
std::string slurmJobScript(const SlurmJob& job);

// The sbatch command line that submits `script` for `job`.
std::vector<std::string> sbatchCommand(const SlurmJob& job, const std::filesystem::path& script);

// Writes the script into the run folder and submits it; returns the job id. Throws common::Error
// with sbatch's own words when Slurm refuses it.
std::string submitSlurmJob(const SlurmJob& job);

struct SlurmJobState {
    std::string state;   // squeue's: PENDING, RUNNING, COMPLETING, COMPLETED, CANCELLED, ...
    std::string reason;  // why a pending job waits (Resources, Priority, BeginTime, ...)

    // Not ended yet: waiting, starting, running, suspended or completing.
    bool active() const;
    // Waiting for its allocation: its ranks have not started.
    bool waiting() const;
    // "PENDING (Resources)", "RUNNING", "FAILED (NonZeroExitCode)": what the run history keeps.
    std::string text() const;
};

// What Slurm says of each job, in one squeue; a job it no longer knows (ended before the
// cluster's MinJobAge) is left out. Throws common::Error when squeue cannot answer (the
// controller unreachable).
std::map<std::string, SlurmJobState> querySlurmJobs(const std::vector<std::string>& jobIds);

// Sends `signal` to the job's ranks (scancel --signal); throws common::Error when refused.
void signalSlurmJob(const std::string& jobId, int signal);
// Ends the job (scancel).
void cancelSlurmJob(const std::string& jobId);

// Throws common::Error naming `where` unless `option` is one sbatch option as "--name" or
// "--name=value" (no spaces or control characters; the job's own --job-name, --output, --chdir,
// --nodes, --ntasks-per-node and --requeue are Strata's).
void requireSbatchOption(std::string_view option, std::string_view where);

// Whether `id` reads as a Slurm job id (digits, or an array job's ID_TASK).
bool isSlurmJobId(std::string_view id);

}  // namespace strata::proto
