#include "core/proto/workspace_jobs.h"

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/common/login_name.h"
#include "core/common/progress.h"
#include "core/common/workspace_paths.h"
#include "core/proto/detached_process.h"
#include "core/proto/json_fields.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <simdjson.h>

#include <array>
#include <csignal>
#include <ctime>
#include <fstream>

extern char** environ;

namespace strata::proto {

namespace fs = std::filesystem;

namespace {

constexpr std::array<std::pair<JobSpec::Kind, const char*>, 3> kKindNames{{
    {JobSpec::Kind::Clean, "clean"},
    {JobSpec::Kind::TokenizerTrain, "tokenizer_train"},
    {JobSpec::Kind::LabelsScore, "labels_score"},
}};

constexpr std::array<std::pair<JobState, const char*>, 4> kStateNames{{
    {JobState::Running, "running"},
    {JobState::Succeeded, "succeeded"},
    {JobState::Failed, "failed"},
    {JobState::Cancelled, "cancelled"},
}};

// The vocabulary sizes `strata-cli tokenizer train` takes: the 256 bytes and a few merges, up to
// a million.
constexpr int kMinVocabSize = 260;
constexpr int kMaxVocabSize = 1 << 20;

std::string readSmallFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::string text;
    std::array<char, 4096> buffer;
    while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0)
        text.append(buffer.data(), size_t(in.gcount()));
    return text;
}

// What job.json says of a job: its kind and its process.
struct JobInfo {
    JobSpec::Kind kind = JobSpec::Kind::Clean;
    ProcessId process;
};

JobInfo readJobInfo(const fs::path& jobDir) {
    const fs::path file = jobDir / "job.json";
    simdjson::dom::parser parser;
    simdjson::dom::element info;
    if (parser.parse(simdjson::padded_string(readSmallFile(file))).get(info))
        common::fail("{}: not JSON", file.string());
    const std::string what = file.string();
    std::optional<JobSpec::Kind> kind =
        parseJobKind(requiredField<std::string_view>(info, "kind", what));
    if (!kind) common::fail("{}: an unknown kind of job", what);
    return {*kind,
            {pid_t(requiredField<int64_t>(info, "pid", what)),
             uint64_t(requiredField<int64_t>(info, "start_time", what))}};
}

}  // namespace

const char* jobKindName(JobSpec::Kind kind) {
    for (const auto& [candidate, name] : kKindNames)
        if (candidate == kind) return name;
    return "?";
}

std::optional<JobSpec::Kind> parseJobKind(std::string_view name) {
    for (const auto& [kind, candidate] : kKindNames)
        if (name == candidate) return kind;
    return std::nullopt;
}

const char* jobStateName(JobState state) {
    for (const auto& [candidate, name] : kStateNames)
        if (candidate == state) return name;
    return "?";
}

std::optional<JobState> parseJobState(std::string_view name) {
    for (const auto& [state, candidate] : kStateNames)
        if (name == candidate) return state;
    return std::nullopt;
}

void checkJobSpec(const JobSpec& spec) {
    const char* name = jobKindName(spec.kind);
    if (spec.output.empty()) common::fail("{}: no output given", name);
    if (spec.kind == JobSpec::Kind::Clean) {
        if (spec.inputs.empty()) common::fail("clean: add a source (a file or a folder) first");
        if (spec.config.empty()) common::fail("clean: no settings file given");
        return;
    }
    if (spec.kind == JobSpec::Kind::LabelsScore) {
        if (spec.inputs.size() != 1)
            common::fail("labels_score: give one reward model, not {}", spec.inputs.size());
        return;
    }
    if (spec.inputs.size() != 1)
        common::fail("tokenizer_train: give one corpus (a file or a folder), not {}",
                     spec.inputs.size());
    if (spec.vocabSize < kMinVocabSize || spec.vocabSize > kMaxVocabSize)
        common::fail("tokenizer_train: the vocabulary size must be {} to {}, not {}", kMinVocabSize,
                     kMaxVocabSize, spec.vocabSize);
}

std::vector<std::string> jobArguments(const JobSpec& spec) {
    checkJobSpec(spec);
    if (spec.kind == JobSpec::Kind::LabelsScore)
        return {"labels", "score", "--reward-model", spec.inputs[0], "--workspace", spec.output};
    if (spec.kind == JobSpec::Kind::TokenizerTrain)
        return {"tokenizer",
                "train",
                spec.inputs[0],
                "-o",
                spec.output,
                "--vocab-size",
                std::to_string(spec.vocabSize)};
    const fs::path dataset = spec.output;
    std::vector<std::string> arguments{"clean"};
    arguments.insert(arguments.end(), spec.inputs.begin(), spec.inputs.end());
    for (std::string argument :
         {std::string("-o"), (dataset / "clean.jsonl.zst").string(), std::string("--config"),
          spec.config, std::string("--report"), (dataset / "funnel.json").string(),
          std::string("--rejected"), (dataset / "rejected.jsonl.zst").string()})
        arguments.push_back(std::move(argument));
    return arguments;
}

void makeJobOutputFolder(const JobSpec& spec) {
    // A tokenizer is a file in its folder; a dataset and the scored workspace are folders.
    const fs::path folder = spec.kind == JobSpec::Kind::TokenizerTrain
                                ? fs::path(spec.output).parent_path()
                                : fs::path(spec.output);
    std::error_code error;
    fs::create_directories(folder, error);
    if (error) common::fail("cannot make {}: {}", folder.string(), error.message());
}

WorkspaceJobs::WorkspaceJobs(fs::path workspace, fs::path cli)
    : m_workspace(std::move(workspace)), m_cli(std::move(cli)) {}

fs::path WorkspaceJobs::folder(const std::string& job) const {
    // A job id is a plain name; anything else (a path, a NUL) could name another folder.
    if (!common::isPlainName(job) || !fs::exists(m_workspace / "jobs" / job / "job.json"))
        common::fail("no job {} in the workspace {}", common::quotedJson(job),
                     m_workspace.string());
    return m_workspace / "jobs" / job;
}

std::string WorkspaceJobs::start(const JobSpec& spec) {
    std::vector<std::string> argv{m_cli.string()};
    for (std::string& argument : jobArguments(spec))
        argv.push_back(std::move(argument));
    makeJobOutputFolder(spec);

    const std::time_t now = std::time(nullptr);
    const std::string base =
        fmt::format("{}-{:%Y%m%d-%H%M%S}", jobKindName(spec.kind), fmt::localtime(now));
    fs::create_directories(m_workspace / "jobs");
    std::string id;
    // create_directory is the claim: two workers starting jobs at once get different ids.
    for (int attempt = 1; id.empty(); ++attempt) {
        std::string candidate = attempt == 1 ? base : fmt::format("{}-{}", base, attempt);
        if (fs::create_directory(m_workspace / "jobs" / candidate)) id = candidate;
    }
    const fs::path jobDir = m_workspace / "jobs" / id;

    std::vector<std::string> environment;
    const std::string progress = fmt::format("{}=", common::kProgressEnvironment);
    for (char** entry = environ; *entry; ++entry)
        if (!std::string_view(*entry).starts_with(progress)) environment.emplace_back(*entry);
    environment.push_back(progress + common::kProgressLines);
    ProcessId process =
        launchDetached(argv, environment, jobDir / "output.log", m_workspace, jobDir / "exit");

    common::JsonWriter info;
    info.beginObject()
        .field("id", id)
        .field("kind", jobKindName(spec.kind))
        .field("started_by", common::loginName())
        .field("created_at", int64_t(now))
        .field("pid", int64_t(process.pid))
        .field("start_time", int64_t(process.startTime))
        .key("argv")
        .beginArray();
    for (const std::string& argument : argv)
        info.value(argument);
    info.endArray().endObject();
    common::AtomicFile file(jobDir / "job.json");
    file.write(info.take());
    file.commit();
    return id;
}

JobOutput WorkspaceJobs::output(const std::string& job, int64_t after) const {
    const fs::path jobDir = folder(job);
    const JobInfo info = readJobInfo(jobDir);
    JobOutput result;
    result.job = job;
    result.kind = info.kind;

    // The state before the output, so the output read is all of it once the state says ended.
    // The waiter writes the exit code before it exits: looked for after the waiter is seen
    // gone, the code is there unless the waiter was killed.
    const bool running = isRunning(info.process);
    const std::string exitText = readSmallFile(jobDir / "exit");
    const bool cancelled = fs::exists(jobDir / "cancelled");
    if (!exitText.empty())
        result.state = std::atoi(exitText.c_str()) == 0 ? JobState::Succeeded
                       : cancelled                      ? JobState::Cancelled
                                                        : JobState::Failed;
    else if (!running)
        result.state = cancelled ? JobState::Cancelled : JobState::Failed;

    after = std::max<int64_t>(after, 0);
    std::error_code error;
    const int64_t size = int64_t(fs::file_size(jobDir / "output.log", error));
    const int64_t left = error ? 0 : std::max<int64_t>(size - after, 0);
    std::string bytes(size_t(std::min<int64_t>(left, int64_t(kMaxOutputBytes))), '\0');
    std::ifstream log(jobDir / "output.log", std::ios::binary);
    log.seekg(after);
    log.read(bytes.data(), std::streamsize(bytes.size()));
    bytes.resize(size_t(log.gcount()));
    const bool ended = result.state != JobState::Running;
    const bool all = int64_t(bytes.size()) == left;
    size_t used = 0;
    for (size_t end = bytes.find('\n'); end != std::string::npos; end = bytes.find('\n', used)) {
        result.lines.push_back(bytes.substr(used, end - used));
        used = end + 1;
    }
    // An ended job's last line may lack its newline.
    if (ended && all && used < bytes.size()) {
        result.lines.push_back(bytes.substr(used));
        used = bytes.size();
    }
    result.next = after + int64_t(used);
    // Output left to read keeps the job running for the reader, which asks again from `next`.
    if (ended && (!all || used < bytes.size())) result.state = JobState::Running;
    return result;
}

void WorkspaceJobs::cancel(const std::string& job) {
    const fs::path jobDir = folder(job);
    if (fs::exists(jobDir / "exit")) return;
    const JobInfo info = readJobInfo(jobDir);
    std::ofstream(jobDir / "cancelled").put('\n');
    signalGroup(info.process, SIGTERM);
}

}  // namespace strata::proto
