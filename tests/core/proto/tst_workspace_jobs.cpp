// The jobs a worker runs in its workspace for the Data and Tokenizer pages, with a shell script
// standing in for strata-cli so each outcome is certain: the command a job spec makes, its
// output read on from an offset (whole lines while it runs, the last partial line once it has
// ended), success and failure by exit code, a cancel that ends the process group and reads as
// cancelled, and one-line refusals of an incomplete spec and an unknown job.
#include "core/proto/workspace_jobs.h"
#include "tests/error_of.h"

#include <QtTest>

#include <chrono>
#include <fstream>
#include <thread>

using namespace strata;
namespace fs = std::filesystem;

namespace {

// The script's output path decides what it does: one in a folder "fail" exits 3 after a line on
// stderr, one in "slow" prints a line and sleeps; anything else prints its arguments, a
// progress line and a last line without its newline.
constexpr const char* kScript = R"(#!/bin/sh
case "$5" in
  */fail/*) echo "strata-cli tokenizer: the corpus is empty" >&2; exit 3 ;;
  */slow/*) echo "started"; sleep 30; echo "never" ;;
esac
echo "args: $*"
echo "STRATA_PROGRESS=$STRATA_PROGRESS"
printf 'trained'
)";

proto::JobOutput waitForEnd(const proto::WorkspaceJobs& jobs, const std::string& job) {
    proto::JobOutput output;
    for (int i = 0; i < 200; ++i) {
        output = jobs.output(job, 0);
        if (output.state != proto::JobState::Running) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return output;
}

proto::JobSpec tokenizerJob(const fs::path& output) {
    proto::JobSpec spec;
    spec.kind = proto::JobSpec::Kind::TokenizerTrain;
    spec.inputs = {"corpus.jsonl"};
    spec.output = output.string();
    spec.vocabSize = 300;
    return spec;
}

}  // namespace

class TestWorkspaceJobs : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path workspace() const { return fs::path(m_dir.path().toStdString()) / "ws"; }
    fs::path script() const { return fs::path(m_dir.path().toStdString()) / "fake-cli"; }

private slots:
    void initTestCase() {
        fs::create_directories(workspace());
        std::ofstream(script()) << kScript;
        fs::permissions(script(), fs::perms::owner_all);
    }

    void aSpecBecomesTheCommand() {
        proto::JobSpec clean;
        clean.inputs = {"raw/a.txt", "raw/more"};
        clean.output = "/ws/datasets/corpus";
        clean.config = "/ws/configs/clean.toml";
        QCOMPARE(
            proto::jobArguments(clean),
            (std::vector<std::string>{
                "clean", "raw/a.txt", "raw/more", "-o", "/ws/datasets/corpus/clean.jsonl.zst",
                "--config", "/ws/configs/clean.toml", "--report", "/ws/datasets/corpus/funnel.json",
                "--rejected", "/ws/datasets/corpus/rejected.jsonl.zst"}));
        QCOMPARE(
            proto::jobArguments(tokenizerJob("/ws/tokenizers/t/tokenizer.json")),
            (std::vector<std::string>{"tokenizer", "train", "corpus.jsonl", "-o",
                                      "/ws/tokenizers/t/tokenizer.json", "--vocab-size", "300"}));
        proto::JobSpec score;
        score.kind = proto::JobSpec::Kind::LabelsScore;
        score.inputs = {"/ws/runs/rm/checkpoints/step-2"};
        score.output = "/ws";
        QCOMPARE(
            proto::jobArguments(score),
            (std::vector<std::string>{"labels", "score", "--reward-model",
                                      "/ws/runs/rm/checkpoints/step-2", "--workspace", "/ws"}));
        clean.inputs.clear();
        QCOMPARE(errorOf([&] { proto::jobArguments(clean); }),
                 QString("clean: add a source (a file or a folder) first"));
        proto::JobSpec tokenizer = tokenizerJob("t.json");
        tokenizer.vocabSize = 100;
        QCOMPARE(errorOf([&] { proto::checkJobSpec(tokenizer); }),
                 QString("tokenizer_train: the vocabulary size must be 260 to 1048576, not 100"));
    }

    void aJobsOutputIsReadOnFromWhereItStopped() {
        proto::WorkspaceJobs jobs(workspace(), script());
        const fs::path output = workspace() / "tokenizers" / "t" / "tokenizer.json";
        const std::string job = jobs.start(tokenizerJob(output));
        QVERIFY2(job.starts_with("tokenizer_train-"), job.c_str());
        QVERIFY(fs::is_directory(output.parent_path()));
        proto::JobOutput ended = waitForEnd(jobs, job);
        QCOMPARE(ended.state, proto::JobState::Succeeded);
        QCOMPARE(ended.kind, proto::JobSpec::Kind::TokenizerTrain);
        QCOMPARE(ended.lines.size(), size_t(3));
        QCOMPARE(ended.lines[0],
                 "args: tokenizer train corpus.jsonl -o " + output.string() + " --vocab-size 300");
        QCOMPARE(ended.lines[1], std::string("STRATA_PROGRESS=lines"));
        QCOMPARE(ended.lines[2], std::string("trained"));  // its last line had no newline
        proto::JobOutput rest = jobs.output(job, int64_t(ended.lines[0].size() + 1));
        QCOMPARE(rest.lines.size(), size_t(2));
        QCOMPARE(rest.next, ended.next);
        QVERIFY(jobs.output(job, ended.next).lines.empty());
    }

    void aFailureIsItsExitCode() {
        proto::WorkspaceJobs jobs(workspace(), script());
        const std::string job = jobs.start(tokenizerJob(workspace() / "fail" / "tokenizer.json"));
        proto::JobOutput ended = waitForEnd(jobs, job);
        QCOMPARE(ended.state, proto::JobState::Failed);
        QCOMPARE(ended.lines.back(), std::string("strata-cli tokenizer: the corpus is empty"));
        std::string code;
        std::ifstream(workspace() / "jobs" / job / "exit") >> code;
        QCOMPARE(code, std::string("3"));
    }

    void aCancelEndsTheJob() {
        proto::WorkspaceJobs jobs(workspace(), script());
        const std::string job = jobs.start(tokenizerJob(workspace() / "slow" / "tokenizer.json"));
        proto::JobOutput running;
        QTRY_VERIFY((running = jobs.output(job, 0)).lines.size() == 1);
        QCOMPARE(running.state, proto::JobState::Running);
        QCOMPARE(running.lines[0], std::string("started"));
        const auto asked = std::chrono::steady_clock::now();
        jobs.cancel(job);
        proto::JobOutput ended = waitForEnd(jobs, job);
        QCOMPARE(ended.state, proto::JobState::Cancelled);
        QVERIFY(std::chrono::steady_clock::now() - asked < std::chrono::seconds(5));
        QCOMPARE(ended.lines, std::vector<std::string>{"started"});
        jobs.cancel(job);  // an ended job: nothing to do
        QCOMPARE(jobs.output(job, 0).state, proto::JobState::Cancelled);
    }

    void anUnknownJobIsOneLine() {
        proto::WorkspaceJobs jobs(workspace(), script());
        const QString where = QString::fromStdString(workspace().string());
        QCOMPARE(errorOf([&] { jobs.output("clean-19700101-000000", 0); }),
                 "no job \"clean-19700101-000000\" in the workspace " + where);
        QCOMPARE(errorOf([&] { jobs.cancel("../runs"); }),
                 "no job \"../runs\" in the workspace " + where);
    }
};

QTEST_GUILESS_MAIN(TestWorkspaceJobs)
#include "tst_workspace_jobs.moc"
