#include "core/proto/slurm_job.h"

#include "core/common/ascii.h"
#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/proto/child_process.h"
#include "core/proto/worker_target.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <sstream>

#include <poll.h>
#include <unistd.h>

namespace strata::proto {

namespace fs = std::filesystem;

namespace {

// The options Strata sets on every job; a user's would contradict the run.
constexpr std::array kStrataOptions{
    "--job-name",        "--output",  "--error",      "--chdir",    "--nodes", "--ntasks",
    "--ntasks-per-node", "--requeue", "--no-requeue", "--parsable", "--wrap",  "--open-mode"};

struct ToolOutput {
    int exitCode = 0;
    std::string output;
    std::string lastError;
};

// Runs a Slurm command to its end, its stdout kept and its stderr's last line.
ToolOutput runTool(const std::vector<std::string>& argv) {
    ChildProcess child(argv);
    child.closeInput();
    ToolOutput result;
    std::array<pollfd, 2> fds{{{child.outputFd(), POLLIN, 0}, {child.errorFd(), POLLIN, 0}}};
    bool outputOpen = true;
    while (outputOpen) {
        if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) break;
        if (fds[1].revents) {
            child.drainErrors();
            if (fds[1].revents & POLLHUP) fds[1].fd = -1;  // closed: poll no longer wakes for it
        }
        if (fds[0].revents) {
            char buffer[4096];
            ssize_t got = ::read(child.outputFd(), buffer, sizeof buffer);
            if (got > 0)
                result.output.append(buffer, size_t(got));
            else if (got == 0 || errno != EINTR)
                outputOpen = false;
        }
    }
    result.exitCode = child.wait();
    child.drainErrors();
    result.lastError = child.lastErrorLine();
    return result;
}

[[noreturn]] void failTool(const std::string& what, const ToolOutput& result) {
    common::fail("{}: {}", what,
                 result.lastError.empty() ? fmt::format("exited with {}", result.exitCode)
                                          : result.lastError);
}

}  // namespace

std::string slurmJobScript(const SlurmJob& job) {
    const std::string train = fmt::format(
        "{} train {} --run-dir {} --resume-if-checkpoint", shellQuote(job.cli.string()),
        shellQuote((job.runDir / "run.toml").string()), shellQuote(job.runDir.string()));
    return fmt::format(
        "#!/bin/bash\n"
        "# Strata's run {0} as a Slurm job. Slurm runs this again when it requeues the job\n"
        "# (preemption, a node failure); the trainer then continues from the latest checkpoint.\n"
        "set -eu\n"
        "# Rank 0 hosts torch.distributed's rendezvous on the allocation's first node.\n"
        "export MASTER_ADDR=\"$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head -n 1)\"\n"
        "export MASTER_PORT=$((20000 + SLURM_JOB_ID % 20000))\n"
        "# One task a rank, with torchrun's variables from Slurm's.\n"
        "exec srun --kill-on-bad-exit=1 --open-mode=append --output={1}/rank-%t.log \\\n"
        "  bash -c 'export RANK=$SLURM_PROCID LOCAL_RANK=$SLURM_LOCALID "
        "WORLD_SIZE=$SLURM_NTASKS LOCAL_WORLD_SIZE={2}; exec \"$@\"' rank \\\n"
        "  {3}\n",
        job.runId, shellQuote((job.runDir / "logs").string()), job.tasksPerNode, train);
}

std::vector<std::string> sbatchCommand(const SlurmJob& job, const fs::path& script) {
    std::vector<std::string> argv{"sbatch",
                                  "--parsable",
                                  "--job-name=" + job.runId,
                                  fmt::format("--nodes={}", job.nodes),
                                  fmt::format("--ntasks-per-node={}", job.tasksPerNode),
                                  "--requeue",
                                  "--open-mode=append",
                                  "--output=" + (job.runDir / "logs" / "slurm-%j.out").string(),
                                  "--chdir=" + job.workspace.string()};
    argv.insert(argv.end(), job.sbatchOptions.begin(), job.sbatchOptions.end());
    argv.push_back(script.string());
    return argv;
}

std::string submitSlurmJob(const SlurmJob& job) {
    const fs::path script = job.runDir / "job.sh";
    common::AtomicFile file(script);
    file.write(slurmJobScript(job));
    file.commit();
    fs::permissions(script, fs::perms::owner_exec, fs::perm_options::add);
    ToolOutput result = runTool(sbatchCommand(job, script));
    if (result.exitCode != 0) failTool("sbatch", result);
    // --parsable: "ID" or "ID;CLUSTER".
    std::string id(
        common::trimAsciiSpace(std::string_view(result.output).substr(0, result.output.find(';'))));
    if (!isSlurmJobId(id))
        common::fail("sbatch: expected a job id, got \"{:.80}\"",
                     common::trimAsciiSpace(result.output));
    return id;
}

bool SlurmJobState::active() const {
    static constexpr std::array kEnded{"COMPLETED",     "CANCELLED",    "FAILED",    "TIMEOUT",
                                       "NODE_FAIL",     "PREEMPTED",    "BOOT_FAIL", "DEADLINE",
                                       "OUT_OF_MEMORY", "SPECIAL_EXIT", "REVOKED"};
    return std::find(kEnded.begin(), kEnded.end(), state) == kEnded.end();
}

bool SlurmJobState::waiting() const {
    return state == "PENDING" || state.starts_with("REQUEUE");
}

std::string SlurmJobState::text() const {
    // A cancelled job keeps the reason it last waited for, which is not why it ended.
    if (reason.empty() || reason == "None" || state == "CANCELLED") return state;
    return fmt::format("{} ({})", state, reason);
}

std::map<std::string, SlurmJobState> querySlurmJobs(const std::vector<std::string>& jobIds) {
    std::map<std::string, SlurmJobState> jobs;
    if (jobIds.empty()) return jobs;
    const std::string list = fmt::format("{}", fmt::join(jobIds, ","));
    ToolOutput result =
        runTool({"squeue", "--noheader", "--states=all", "--jobs=" + list, "--format=%i %T %r"});
    if (result.exitCode != 0) {
        // Asked about one job it has forgotten, squeue fails; about several, it leaves them out.
        if (result.lastError.find("Invalid job id") != std::string::npos) return jobs;
        failTool(fmt::format("squeue (jobs {})", list), result);
    }
    std::istringstream lines(result.output);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string id;
        SlurmJobState job;
        if (!(fields >> id >> job.state)) continue;
        std::getline(fields, job.reason);
        job.reason = std::string(common::trimAsciiSpace(job.reason));
        jobs[id] = job;
    }
    return jobs;
}

void signalSlurmJob(const std::string& jobId, int signal) {
    ToolOutput result = runTool({"scancel", fmt::format("--signal={}", signal), jobId});
    if (result.exitCode != 0) failTool(fmt::format("scancel (job {})", jobId), result);
}

void cancelSlurmJob(const std::string& jobId) {
    ToolOutput result = runTool({"scancel", jobId});
    if (result.exitCode != 0) failTool(fmt::format("scancel (job {})", jobId), result);
}

void requireSbatchOption(std::string_view option, std::string_view where) {
    const std::string_view name = option.substr(0, option.find('='));
    const bool wellFormed =
        name.size() > 2 && name.starts_with("--") &&
        std::all_of(name.begin() + 2, name.end(),
                    [](char c) { return common::isAsciiAlnum(c) || c == '-'; }) &&
        std::none_of(option.begin(), option.end(),
                     [](char c) { return (unsigned char)c <= ' ' || c == 0x7f; });
    if (!wellFormed)
        common::fail("{}: \"{}\" is not an sbatch option as --name or --name=value", where, option);
    if (std::find(kStrataOptions.begin(), kStrataOptions.end(), name) != kStrataOptions.end())
        common::fail("{}: {} is set by Strata for every run's job", where, name);
}

bool isSlurmJobId(std::string_view id) {
    return !id.empty() && id.size() <= 32 && common::isAsciiDigit(id.front()) &&
           std::all_of(id.begin(), id.end(),
                       [](char c) { return common::isAsciiDigit(c) || c == '_'; });
}

}  // namespace strata::proto
