// The client library against real workers, trainers, SQLite files and an OpenSSH server: every
// event lands in the run history exactly once when the client is killed mid-run and attaches
// again, when the trainer is killed (the run is interrupted, then continues the same sequence
// from its checkpoint), when the worker is killed, and when the SSH connection to a remote worker
// is cut mid-run; and a run across two hosts is followed as one, stopped and resumed. A workspace
// reached over SSH refuses a path or run name that leaves it, as a local one does.
#include "core/proto/run_client.h"
#include "core/proto/worker_connection.h"
#include "tests/core/proto/ssh_server.h"
#include "tests/core/proto/tiny_workspace.h"

#include <QProcess>
#include <QtTest>

#include <csignal>
#include <map>
#include <set>

using namespace strata;
namespace fs = std::filesystem;

namespace {

// step → `key` of the metrics events in a run's events.jsonl; a resumed run's repeat of a step
// replaces the value its first attempt logged, as in the history.
std::map<int64_t, double> lossesInEventLog(const fs::path& events, int64_t& lastSeq,
                                           const std::string& key = "loss") {
    std::map<int64_t, double> losses;
    std::ifstream in(events);
    std::string line;
    const std::string field = "\"" + key + "\":";
    while (std::getline(in, line)) {
        lastSeq = std::stoll(line.substr(7));
        if (line.find("\"type\":\"metrics\"") == std::string::npos) continue;
        size_t step = line.find("\"step\":") + 7;
        size_t value = line.find(field) + field.size();
        losses[std::stoll(line.substr(step))] = std::stod(line.substr(value));
    }
    return losses;
}

// Checks that the history holds each step's `key` once, with the event log's value.
void verifyStoredOnce(store::RunHistory& history, int64_t runId, const fs::path& runDir,
                      const fs::path& scratch, const std::string& key = "loss") {
    int64_t lastSeq = 0;
    std::map<int64_t, double> expected = lossesInEventLog(runDir / "events.jsonl", lastSeq, key);
    QCOMPARE(history.run(runId).lastSeq, lastSeq);
    fs::path csv = scratch / "metrics.csv";
    history.exportMetricsCsv(runId, csv);
    std::ifstream in(csv);
    std::string line;
    std::getline(in, line);  // header
    std::map<int64_t, double> stored;
    while (std::getline(in, line)) {
        if (line.rfind(key + ",", 0) != 0) continue;
        std::stringstream fields(line.substr(key.size() + 1));
        std::string step, value;
        std::getline(fields, step, ',');
        std::getline(fields, value, ',');
        QVERIFY2(stored.emplace(std::stoll(step), std::stod(value)).second,
                 qPrintable(QString("step %1 stored twice").arg(step.c_str())));
    }
    QCOMPARE(stored.size(), expected.size());
    for (auto [step, loss] : expected)
        QVERIFY2(
            std::abs(stored[step] - loss) <= 1e-9 * std::abs(loss),
            qPrintable(
                QString("step %1: %2 stored, %3 logged").arg(step).arg(stored[step]).arg(loss)));
}

// SIGKILL to every process whose command line (NUL-separated) starts with `prefix` and holds
// `part`: the worker or the ssh client goes away as a crash or a network cut would take it.
int killProcesses(const std::string& prefix, const std::string& part) {
    int killed = 0;
    for (const fs::directory_entry& entry : fs::directory_iterator("/proc")) {
        std::ifstream in(entry.path() / "cmdline");
        std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (cmdline.rfind(prefix, 0) == 0 && cmdline.find(part) != std::string::npos)
            killed += ::kill(std::stoi(entry.path().filename()), SIGKILL) == 0;
    }
    return killed;
}

}  // namespace

class TestRunClient : public QObject {
    Q_OBJECT

    TinyWorkspace m_workspace;
    QTemporaryDir m_client;
    fs::path clientPath(const char* name) {
        return fs::path(m_client.filePath(name).toStdString());
    }

private slots:
    void killedClientAttachesAgainWithNothingLost() {
        fs::path db = m_workspace.root / "strata.db";
        store::RunHistory history(db);
        int64_t runId = proto::startRun(history, m_workspace.target(), m_workspace.spec(600, 100));
        QStringList attach{"attach", QString::number(runId), "--workspace",
                           QString::fromStdString(m_workspace.root.string())};
        QProcess first;
        first.start(STRATA_CLI, attach);
        QVERIFY(waitFor([&] { return history.run(runId).lastSeq >= 40; }));
        ::kill(pid_t(first.processId()), SIGKILL);
        first.waitForFinished();
        QVERIFY(history.run(runId).state != store::RunState::Completed);  // killed mid-run
        QProcess second;
        second.start(STRATA_CLI, attach);
        QVERIFY(second.waitForFinished(120000));
        QVERIFY2(second.exitCode() == 0, second.readAllStandardError().constData());
        QCOMPARE(history.run(runId).state, store::RunState::Completed);
        verifyStoredOnce(history, runId, m_workspace.runDir(history.run(runId).name),
                         clientPath(""));
    }

    void killedTrainerIsInterruptedAndContinuesTheSequence() {
        store::RunHistory history(clientPath("interrupted.db"));
        int64_t runId = proto::startRun(history, m_workspace.target(), m_workspace.spec(300, 20));
        std::string name = history.run(runId).name;
        proto::FollowOptions options;
        options.onEvent = [&](const proto::WorkerMessage& event) {
            if (event.type == "checkpoint") ::kill(m_workspace.trainerPid(name), SIGKILL);
        };
        QCOMPARE(proto::followRun(history, m_workspace.target(), runId, options),
                 store::RunState::Interrupted);
        QVERIFY(history.run(runId).lastStep >= 20);

        proto::resumeRun(history, {m_workspace.target()}, runId);
        QCOMPARE(proto::followRun(history, m_workspace.target(), runId),
                 store::RunState::Completed);
        QCOMPARE(history.run(runId).lastStep, 300);
        verifyStoredOnce(history, runId, m_workspace.runDir(name), clientPath(""));
    }

    void aPowerLossThatCutsTheLogLeavesTheResumedRunOnly() {
        store::RunHistory history(clientPath("power-loss.db"));
        int64_t runId = proto::startRun(history, m_workspace.target(), m_workspace.spec(120, 20));
        std::string name = history.run(runId).name;
        const fs::path events = m_workspace.runDir(name) / "events.jsonl";
        proto::FollowOptions options;
        options.onEvent = [&](const proto::WorkerMessage& event) {
            if (event.type == "metrics" && event.dataJson.find("\"step\":30,") != std::string::npos)
                ::kill(m_workspace.trainerPid(name), SIGKILL);
        };
        QCOMPARE(proto::followRun(history, m_workspace.target(), runId, options),
                 store::RunState::Interrupted);
        QVERIFY(history.run(runId).lastStep >= 30);

        // The power goes: the log keeps what was synced with its last checkpoint, after the
        // history stored the steps beyond it and the run's end.
        std::string text;
        {
            std::ifstream in(events);
            text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
        size_t checkpoint = text.rfind("\"type\":\"checkpoint\"");
        QVERIFY(checkpoint != std::string::npos);
        fs::resize_file(events, text.find('\n', checkpoint) + 1);

        proto::resumeRun(history, {m_workspace.target()}, runId);
        QCOMPARE(proto::followRun(history, m_workspace.target(), runId),
                 store::RunState::Completed);
        // Every step holds the resumed run's values (the timing differs from the lost ones),
        // and every log line and checkpoint the history keeps is in the log.
        verifyStoredOnce(history, runId, m_workspace.runDir(name), clientPath(""));
        verifyStoredOnce(history, runId, m_workspace.runDir(name), clientPath(""), "step_seconds");
        std::set<int64_t> logged;
        {
            std::ifstream in(events);
            std::string line;
            while (std::getline(in, line))
                logged.insert(std::stoll(line.substr(7)));
        }
        for (const store::LogRow& row : history.logs(runId))
            QVERIFY2(logged.contains(row.seq), qPrintable(QString::fromStdString(row.message)));
        for (const store::CheckpointRow& row : history.checkpoints(runId))
            QVERIFY2(logged.contains(row.seq), qPrintable(QString::fromStdString(row.path)));
    }

    void killedWorkerIsReplacedWithNothingLost() {
        store::RunHistory history(clientPath("worker-killed.db"));
        int64_t runId = proto::startRun(history, m_workspace.target(), m_workspace.spec(300, 50));
        int events = 0, killed = 0, notices = 0;
        proto::FollowOptions options;
        options.onEvent = [&](const proto::WorkerMessage&) {
            if (++events == 30)
                killed = killProcesses(std::string(STRATA_CLI) + '\0' + "worker" + '\0',
                                       m_workspace.root.string());
        };
        options.onNotice = [&](const std::string&) { ++notices; };
        QCOMPARE(proto::followRun(history, m_workspace.target(), runId, options),
                 store::RunState::Completed);
        QCOMPARE(killed, 1);
        QVERIFY(notices >= 1);
        verifyStoredOnce(history, runId, m_workspace.runDir(history.run(runId).name),
                         clientPath(""));
    }

    void remoteRunSurvivesACutSshConnection() {
        SshServer ssh;
        QVERIFY2(ssh.started(), qPrintable(ssh.log()));
        store::RunHistory history(clientPath("remote.db"));
        proto::WorkerTarget target = ssh.target(STRATA_CLI, m_workspace.root.string());
        int64_t runId = proto::startRun(history, target, m_workspace.spec(300, 50));
        QCOMPARE(history.run(runId).host, target.name());
        int events = 0, cuts = 0, notices = 0;
        proto::FollowOptions options;
        options.onEvent = [&](const proto::WorkerMessage&) {
            if (++events == 30)
                cuts = killProcesses(std::string("ssh") + '\0',
                                     std::string("-p") + '\0' + std::to_string(ssh.port()) + '\0');
        };
        options.onNotice = [&](const std::string&) { ++notices; };
        QCOMPARE(proto::followRun(history, target, runId, options), store::RunState::Completed);
        QVERIFY(cuts >= 1);
        QVERIFY(notices >= 1);
        verifyStoredOnce(history, runId, m_workspace.runDir(history.run(runId).name),
                         clientPath(""));
    }

    void aRemoteWorkspaceRefusesWhatLeavesIt() {
        SshServer ssh;
        QVERIFY2(ssh.started(), qPrintable(ssh.log()));
        proto::WorkerConnection worker(ssh.target(STRATA_CLI, m_workspace.root.string()));
        auto refusal = [&](proto::Request request) {
            try {
                worker.call(request);
            } catch (const common::Error& error) {
                return QString(error.what());
            }
            return QString("accepted");
        };
        proto::Request start;
        start.kind = proto::RequestKind::Start;
        start.spec = m_workspace.spec(5, 5);
        start.spec.shards = "../../etc";
        QVERIFY(refusal(start).contains("is outside the workspace"));
        start.spec.shards.clear();
        start.spec.name = "../escape";
        QVERIFY(refusal(start).contains("../escape"));
        proto::Request subscribe;
        subscribe.kind = proto::RequestKind::Subscribe;
        subscribe.run = "../../etc";
        QVERIFY(refusal(subscribe).contains("../../etc"));
        proto::Request generate;
        generate.kind = proto::RequestKind::Generate;
        generate.generate.checkpoint = "/etc";
        generate.generate.prompts = {"hi"};
        QVERIFY(refusal(generate).contains("outside the workspace"));
        QVERIFY(!fs::exists(m_workspace.root.parent_path() / "escape"));
    }

    void aRunAcrossTwoHostsIsFollowedAsOneStoppedAndResumed() {
        // Node 0 over SSH (its peers reach it at 127.0.0.1), node 1 a worker on this machine with
        // a workspace of its own: two hosts that share no storage.
        SshServer ssh;
        QVERIFY2(ssh.started(), qPrintable(ssh.log()));
        TinyWorkspace otherHost;
        store::RunHistory history(clientPath("hosts.db"));
        const std::vector<proto::WorkerTarget> hosts{
            ssh.target(STRATA_CLI, m_workspace.root.string()), otherHost.target()};
        proto::RunSpec spec = m_workspace.spec(300, 20);
        spec.overrides = {"dist.zero1=true"};
        int64_t runId = proto::startRunAcrossHosts(history, hosts, spec);
        const store::RunRecord run = history.run(runId);
        QCOMPARE(run.host, hosts[0].name());
        QCOMPARE(run.nodes.size(), size_t(1));
        QCOMPARE(run.nodes[0].host, std::string("local"));
        const fs::path folders[] = {m_workspace.runDir(run.name),
                                    otherHost.runDir(run.nodes[0].name)};

        // A stop reaches both hosts' ranks, which agree on the step to stop at.
        proto::FollowOptions options;
        bool stopped = false;
        options.onEvent = [&](const proto::WorkerMessage& event) {
            if (event.type != "checkpoint" || std::exchange(stopped, true)) return;
            proto::controlRun(history, hosts, runId, proto::RequestKind::Stop);
        };
        QCOMPARE(proto::followRun(history, hosts[0], runId, options), store::RunState::Stopped);
        const int64_t stoppedAt = history.run(runId).lastStep;
        QVERIFY(stoppedAt >= 20 && stoppedAt < 300);

        // Each host resumes from the checkpoint in its own folder.
        proto::resumeRun(history, hosts, runId);
        QCOMPARE(proto::followRun(history, hosts[0], runId), store::RunState::Completed);
        QCOMPARE(history.run(runId).lastStep, 300);
        verifyStoredOnce(history, runId, folders[0], clientPath(""));

        // Both folders tell the same run; node 0's events hold rank 1's lines with its rank.
        int64_t lastSeq = 0;
        QCOMPARE(lossesInEventLog(folders[1] / "events.jsonl", lastSeq),
                 lossesInEventLog(folders[0] / "events.jsonl", lastSeq));
        for (const fs::path& folder : folders)
            QVERIFY(fs::is_directory(folder / "checkpoints" / "step-0000300"));
        int rankOneNotes = 0;
        for (const store::LogRow& row : history.logs(runId))
            rankOneNotes += row.rank == 1 && row.message.starts_with("ZeRO-1: rank 1 keeps");
        QCOMPARE(rankOneNotes, 2);  // at the start and at the resume

        // A run across two hosts is steered with both or not at all.
        QString error;
        try {
            proto::resumeRun(history, {hosts[0]}, runId);
        } catch (const std::exception& caught) {
            error = caught.what();
        }
        QVERIFY2(error.contains("runs on 2 host(s), not 1"), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestRunClient)
#include "tst_run_client.moc"
