// Runs of a workspace on another host: a real sshd on 127.0.0.1, the workspace behind it, and
// real trainers started by its worker. A run started from here is recorded in the host's history
// (by the SSH login, tagged), followed there to its end with each event once; a long run is
// paused, resumed and stopped through the host's worker, its follower seeing each state; a
// follower told to let go does so at once; an ended run is continued as the same run; an unknown
// run is refused in one line.
#include "core/common/login_name.h"
#include "core/common/workspace_paths.h"
#include "core/proto/remote_run_catalog.h"
#include "core/proto/workspace_runs.h"
#include "tests/core/proto/ssh_server.h"
#include "tests/core/proto/tiny_workspace.h"
#include "tests/error_of.h"

#include <QtTest>

#include <atomic>
#include <thread>

using namespace strata;

class TestWorkspaceRuns : public QObject {
    Q_OBJECT

    TinyWorkspace m_workspace;
    SshServer m_ssh;

    proto::WorkerTarget target() const {
        return m_ssh.target(STRATA_CLI, m_workspace.root.string());
    }

    // The run's state in the host's history, caught up with its events.
    store::RunState stateOf(int64_t runId) {
        proto::RemoteRunCatalog runs(target());
        for (const store::RunRecord& run : runs.listRuns())
            if (run.id == runId) return run.state;
        return store::RunState::Failed;
    }

private slots:
    void initTestCase() { QVERIFY2(m_ssh.started(), qPrintable(m_ssh.log())); }

    void aRunIsFollowedThroughTheHostsHistory() {
        const int64_t runId =
            proto::startWorkspaceRun(target(), m_workspace.spec(12, 6), {"from-desktop"});
        std::vector<store::RunRecord> seen;
        proto::WorkspaceFollowOptions options;
        options.interval = std::chrono::milliseconds(200);
        options.onProgress = [&](const store::RunRecord& run) { seen.push_back(run); };
        QCOMPARE(proto::followWorkspaceRun(target(), runId, options), store::RunState::Completed);
        QVERIFY(!seen.empty());
        QCOMPARE(seen.back().lastStep, int64_t(12));

        store::RunHistory host(common::historyFile(m_workspace.root));
        store::RunRecord run = host.run(runId);
        QCOMPARE(run.host, std::string("local"));  // as the host sees it
        QCOMPARE(run.createdBy, common::loginName());
        QCOMPARE(run.tags, std::vector<std::string>{"from-desktop"});
        QCOMPARE(run.lastStep, int64_t(12));
        QCOMPARE(host.metricRows(runId, "loss", INT64_MIN, 100).size(), size_t(12));
        QVERIFY(!host.checkpoints(runId).empty());

        // Continued from its last checkpoint, it ends again; the earlier end does not count.
        const int64_t before = proto::continueWorkspaceRun(target(), runId);
        QCOMPARE(before, run.lastSeq);
        options.afterSeq = before;
        seen.clear();
        QCOMPARE(proto::followWorkspaceRun(target(), runId, options), store::RunState::Completed);
        QVERIFY(seen.back().lastSeq > before);
        QCOMPARE(host.listRuns().size(), size_t(1));  // the same run, not another
    }

    void aLongRunIsPausedResumedAndStopped() {
        const int64_t runId = proto::startWorkspaceRun(target(), m_workspace.spec(100000, 50));
        std::atomic<bool> following{true};
        std::atomic<int> ended{-1};
        std::thread follower([&] {
            proto::WorkspaceFollowOptions options;
            options.interval = std::chrono::milliseconds(200);
            options.keepGoing = [&] { return following.load(); };
            ended = int(proto::followWorkspaceRun(target(), runId, options));
        });
        QVERIFY(waitFor([&] { return stateOf(runId) == store::RunState::Running; }, 60));
        proto::controlWorkspaceRun(target(), runId, proto::RequestKind::Pause);
        QVERIFY(waitFor([&] { return stateOf(runId) == store::RunState::Paused; }, 30));
        proto::controlWorkspaceRun(target(), runId, proto::RequestKind::Resume);
        QVERIFY(waitFor([&] { return stateOf(runId) == store::RunState::Running; }, 30));
        proto::controlWorkspaceRun(target(), runId, proto::RequestKind::Stop);
        QVERIFY(waitFor([&] { return ended.load() >= 0; }, 60));
        follower.join();
        QCOMPARE(store::RunState(ended.load()), store::RunState::Stopped);
    }

    void aFollowerLetsGoAtOnce() {
        const int64_t runId = proto::startWorkspaceRun(target(), m_workspace.spec(100000, 50));
        proto::WorkspaceFollowOptions options;
        options.interval = std::chrono::seconds(30);
        int reads = 0;
        options.onProgress = [&](const store::RunRecord&) { ++reads; };
        options.keepGoing = [&] { return reads < 1; };
        const auto start = std::chrono::steady_clock::now();
        QVERIFY(!store::hasEnded(proto::followWorkspaceRun(target(), runId, options)));
        QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
        proto::controlWorkspaceRun(target(), runId, proto::RequestKind::Stop);
        QVERIFY(waitFor([&] { return stateOf(runId) == store::RunState::Stopped; }, 60));
    }

    void anUnknownRunIsOneLine() {
        QString error =
            errorOf([&] { proto::controlWorkspaceRun(target(), 999, proto::RequestKind::Stop); });
        QVERIFY2(error.contains("no run with id 999"), qPrintable(error));
        proto::RunSpec outside = m_workspace.spec(12, 6);
        outside.shards = "../elsewhere";
        error = errorOf([&] { proto::startWorkspaceRun(target(), outside); });
        QVERIFY2(error.contains("elsewhere") && !error.contains('\n'), qPrintable(error));
    }
};

QTEST_MAIN(TestWorkspaceRuns)
#include "tst_workspace_runs.moc"
