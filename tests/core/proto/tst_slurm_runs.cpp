// Runs on a slurm:// target, against a real single-node Slurm (munged, slurmctld and slurmd on
// 127.0.0.1) reached through a real OpenSSH server: the run waits as a pending job with Slurm's
// reason while another job holds the node, starts when the node frees, is requeued mid-run and
// continues from its checkpoint as the same run (one history row, one job id, its events in one
// sequence), and stops through scancel. A run stopped while still pending is cancelled. Two
// tasks of a job are two ranks of one run.
#include "core/proto/run_client.h"
#include "core/proto/slurm_job.h"
#include "core/proto/worker_connection.h"
#include "tests/core/proto/slurm_cluster.h"
#include "tests/core/proto/ssh_server.h"
#include "tests/core/proto/tiny_workspace.h"

#include <QtTest>

#include <atomic>
#include <fstream>
#include <thread>

using namespace strata;
namespace fs = std::filesystem;

namespace {

// The events.jsonl lines of `type`, in order.
std::vector<std::string> eventsOfType(const fs::path& events, const std::string& type) {
    std::vector<std::string> found;
    std::ifstream in(events);
    std::string line;
    while (std::getline(in, line))
        if (line.find("\"type\":\"" + type + "\"") != std::string::npos) found.push_back(line);
    return found;
}

// Follows the run into the history file on a thread of its own (one connection a thread).
class Follower {
public:
    Follower(const fs::path& db, const proto::WorkerTarget& target, int64_t runId)
        : m_thread([this, db, target, runId] {
              store::RunHistory history(db);
              proto::FollowOptions options;
              options.keepGoing = [this] { return !m_quit; };
              m_state = proto::followRun(history, target, runId, options);
              m_done = true;
          }) {}
    ~Follower() {
        m_quit = true;
        m_thread.join();
    }
    bool done() const { return m_done; }
    store::RunState state() const { return m_state; }

private:
    std::atomic<bool> m_quit{false};
    std::atomic<bool> m_done{false};
    std::atomic<store::RunState> m_state{store::RunState::Created};
    std::thread m_thread;
};

}  // namespace

class TestSlurmRuns : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(m_cluster.ready(), qPrintable(m_cluster.logs()));
        QVERIFY(m_ssh.started());
    }

    // Each test starts on an empty cluster.
    void cleanup() {
        SlurmCluster::command("scancel", {"--user", QString::fromStdString(common::loginName())});
    }

    void queuedRequeuedAndStoppedAsOneRun() {
        const std::string blocker = holdTheNode();
        const fs::path db = m_history.filePath("requeue.db").toStdString();
        store::RunHistory history(db);
        const int64_t runId =
            proto::startRun(history, slurmTarget(), m_workspace.spec(100000, 5), {"slurm"});
        const std::string jobId = history.run(runId).jobId;
        QVERIFY(proto::isSlurmJobId(jobId));
        QCOMPARE(history.run(runId).host, slurmTarget().name());
        Follower follower(db, slurmTarget(), runId);

        // Waiting behind the other job, with Slurm's reason in the history.
        QVERIFY2(waitFor([&] { return history.run(runId).jobState == "PENDING (Resources)"; }),
                 history.run(runId).jobState.c_str());
        QCOMPARE(history.run(runId).state, store::RunState::Created);

        SlurmCluster::command("scancel", {QString::fromStdString(blocker)});
        QVERIFY(waitFor([&] { return history.run(runId).state == store::RunState::Running; }));
        QVERIFY2(waitFor([&] { return history.run(runId).jobState == "RUNNING"; }),
                 history.run(runId).jobState.c_str());
        QVERIFY(waitFor([&] { return !history.checkpoints(runId).empty(); }));

        // Preempted: Slurm requeues the job, which continues the run from its checkpoint.
        const fs::path runDir = history.run(runId).runDir;
        SlurmCluster::command("scontrol", {"requeue", QString::fromStdString(jobId)});
        QVERIFY2(
            waitFor(
                [&] { return eventsOfType(runDir / "events.jsonl", "run_started").size() == 2; },
                120),
            qPrintable(m_cluster.logs()));
        QVERIFY(waitFor([&] { return history.run(runId).state == store::RunState::Running; }));
        const std::vector<std::string> starts =
            eventsOfType(runDir / "events.jsonl", "run_started");
        QVERIFY2(starts[1].find("\"resumed_from\"") != std::string::npos, starts[1].c_str());

        proto::controlRun(history, {slurmTarget()}, runId, proto::RequestKind::Stop);
        QVERIFY(waitFor([&] { return follower.done(); }, 120));
        QCOMPARE(follower.state(), store::RunState::Stopped);

        const store::RunRecord run = history.run(runId);
        QCOMPARE(run.state, store::RunState::Stopped);
        QCOMPARE(run.jobId, jobId);  // the same job, requeued
        QCOMPARE(run.jobState, std::string("COMPLETED"));
        QCOMPARE(history.listRuns().size(), size_t(1));
        // Every event once, in one sequence across both attempts.
        int64_t lines = 0;
        std::ifstream in(runDir / "events.jsonl");
        for (std::string line; std::getline(in, line);)
            ++lines;
        QCOMPARE(run.lastSeq, lines);
        QVERIFY(fs::exists(runDir / "job.sh"));
        // The requeue's SIGTERM interrupted the first attempt with a checkpoint; the second
        // started from it.
        const std::vector<std::string> ends = eventsOfType(runDir / "events.jsonl", "run_finished");
        QCOMPARE(ends.size(), size_t(2));
        QVERIFY2(ends[0].find("\"status\":\"interrupted\"") != std::string::npos, ends[0].c_str());
    }

    void stoppingAPendingRunCancelsItsJob() {
        const std::string blocker = holdTheNode();
        store::RunHistory history(m_history.filePath("cancel.db").toStdString());
        const int64_t runId = proto::startRun(history, slurmTarget(), m_workspace.spec(50, 5));
        const std::string jobId = history.run(runId).jobId;
        proto::controlRun(history, {slurmTarget()}, runId, proto::RequestKind::Stop);
        QCOMPARE(proto::followRun(history, slurmTarget(), runId), store::RunState::Stopped);
        QCOMPARE(history.run(runId).jobState, std::string("CANCELLED"));
        QVERIFY(history.run(runId).startedAt == 0);  // it never ran
        proto::WorkerConnection worker(slurmTarget());
        proto::Request status;
        status.kind = proto::RequestKind::Status;
        status.run = history.run(runId).name;
        const std::string summary = worker.call(status);
        QVERIFY2(summary.find("the Slurm job " + jobId + " ended CANCELLED") != std::string::npos,
                 summary.c_str());
        SlurmCluster::command("scancel", {QString::fromStdString(blocker)});
    }

    // Two tasks on the node are two ranks of one run: srun starts them with torchrun's
    // variables from Slurm's, and they rendezvous on the allocation's first node.
    void ranksAreTheJobsTasks() {
        store::RunHistory history(m_history.filePath("ranks.db").toStdString());
        proto::RunSpec spec = m_workspace.spec(6, 3);
        spec.numProcesses = 2;
        spec.overrides = {"dist.expert_parallel=true"};
        const int64_t runId = proto::startRun(history, slurmTarget(), spec);
        QCOMPARE(proto::followRun(history, slurmTarget(), runId), store::RunState::Completed);
        const fs::path runDir = history.run(runId).runDir;
        bool rankOneSpoke = false;
        for (const std::string& line : eventsOfType(runDir / "events.jsonl", "log"))
            rankOneSpoke =
                rankOneSpoke || (line.find("\"rank\":1") != std::string::npos &&
                                 line.find("rank 1 holds experts 2-3") != std::string::npos);
        QVERIFY(rankOneSpoke);
        QVERIFY(fs::exists(runDir / "logs" / "rank-1.log"));
    }

private:
    // A job that takes the node's every CPU, running when this returns; its id.
    std::string holdTheNode() {
        const QString id =
            SlurmCluster::command("sbatch", {"--parsable", "--job-name=blocker",
                                             QString("--ntasks=%1").arg(SlurmCluster::kCpus),
                                             "--wrap=sleep 600", "--output=/dev/null"});
        const bool running = waitFor([&] {
            return SlurmCluster::command("squeue", {"-h", "-j", id, "-o", "%T"}) == "RUNNING";
        });
        if (!running) qWarning("the blocker job %s did not start", qPrintable(id));
        return id.toStdString();
    }

    proto::WorkerTarget slurmTarget() const {
        proto::WorkerTarget target = m_ssh.target(STRATA_CLI, m_workspace.root.string());
        target.slurm = true;
        return target;
    }

    SlurmCluster m_cluster;
    SshServer m_ssh{{"SetEnv SLURM_CONF=" + m_cluster.conf()}};
    TinyWorkspace m_workspace;
    QTemporaryDir m_history;
};

QTEST_GUILESS_MAIN(TestSlurmRuns)
#include "tst_slurm_runs.moc"
