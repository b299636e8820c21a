// Long work the studio starts in a workspace: cleaning a dataset (`strata-cli clean`), training a
// tokenizer (`strata-cli tokenizer train`) and scoring the labeling queue's pairs with a reward
// model (`strata-cli labels score`). A JobSpec says
// what, and jobArguments turns it into the command, the same here (the studio's child process)
// and on a host. There, WorkspaceJobs runs it for the worker as a detached process in
// WORKSPACE/jobs/<id>/ (job.json, output.log, exit), so it outlives the SSH connection that asked
// for it, and a client that comes back reads its output from where it stopped.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::proto {

struct JobSpec {
    enum class Kind { Clean, TokenizerTrain, LabelsScore };
    Kind kind = Kind::Clean;
    // clean: the sources; tokenizer: the corpus, alone; labels score: the reward model, alone
    std::vector<std::string> inputs;
    // clean: the dataset's folder; tokenizer: its tokenizer.json; labels score: the workspace
    std::string output;
    std::string config;     // clean: the settings file
    int vocabSize = 32000;  // tokenizer
};
// "clean", "tokenizer_train", "labels_score"
const char* jobKindName(JobSpec::Kind kind);
std::optional<JobSpec::Kind> parseJobKind(std::string_view name);
// Throws common::Error naming what is missing or out of range.
void checkJobSpec(const JobSpec& spec);
// strata-cli's arguments for the job, after the program's name.
std::vector<std::string> jobArguments(const JobSpec& spec);
// Makes the folder the job writes into (the commands do not); throws common::Error when it
// cannot.
void makeJobOutputFolder(const JobSpec& spec);

enum class JobState { Running, Succeeded, Failed, Cancelled };
// "running", "succeeded", "failed", "cancelled"
const char* jobStateName(JobState state);
std::optional<JobState> parseJobState(std::string_view name);

// A job's output since an offset of its log.
struct JobOutput {
    std::string job;
    JobSpec::Kind kind = JobSpec::Kind::Clean;
    JobState state = JobState::Running;
    std::vector<std::string> lines;  // whole lines only while it runs
    int64_t next = 0;                // the offset to read on from
};

class WorkspaceJobs {
public:
    // Bytes of output one read gives at most; the client asks again from `next`.
    static constexpr size_t kMaxOutputBytes = size_t(1) << 20;

    // `cli`: the strata-cli the jobs run as (an absolute path).
    WorkspaceJobs(std::filesystem::path workspace, std::filesystem::path cli);

    // Starts the job, whose paths are already absolute and checked; returns its id. Throws
    // common::Error when the spec is incomplete or the process cannot be started.
    std::string start(const JobSpec& spec);
    // Throws common::Error for an unknown job.
    JobOutput output(const std::string& job, int64_t after) const;
    // Ends a job still running (its state becomes cancelled); nothing for one that has ended.
    void cancel(const std::string& job);

private:
    std::filesystem::path folder(const std::string& job) const;

    std::filesystem::path m_workspace;
    std::filesystem::path m_cli;
};

}  // namespace strata::proto
