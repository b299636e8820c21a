// `strata-cli launch` and multi-process `train` on the CPU with Gloo, as a user runs them: 2 and
// 4 ranks take the steps one process takes on the same global batch; ZeRO-1 and expert
// parallelism take the steps of plain data parallelism and their checkpoints resume onto another
// world size; ranks on hosts with run folders of their own each keep the whole run, and rank 0's
// events hold the other ranks' lines; a rank that fails ends the run with its error; a rank
// killed mid-run fails the run (no hang) and the run resumes from its checkpoint; and one-line
// errors for a batch or experts that do not split, an unreachable master and ranks started with
// other configs. A run on one host listens on the loopback alone.
#include "cli_runner.h"
#include "core/run/launch_environment.h"
#include "core/run/listen_address.h"
#include "tests/tiny_data.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <QSet>

#include <csignal>
#include <filesystem>
#include <functional>

namespace {

// The tiny run of tests/tiny_data.h with a micro-batch of 8 (it splits across 2 and 4 ranks),
// checkpoints and validation every 2 steps, and a short exchange timeout.
std::string launchConfig() {
    std::string config = tiny::kConfig;
    auto set = [&](const std::string& from, const std::string& to) {
        config.replace(config.find(from), from.size(), to);
    };
    set("micro_batch_size = 4", "micro_batch_size = 8\nthreads = 1\nlog_every = 1");
    set("max_steps = 6", "max_steps = 4");
    set("eval_every = 3", "eval_every = 2");
    set("eval_batches = 2", "eval_batches = 3");
    set("[checkpoint]\nevery = 3", "[checkpoint]\nevery = 2");
    return config + "\n[dist]\ntimeout_s = 20\n";
}

struct Step {
    double loss;
    double gradNorm;
};

// The metrics of every step, and the validation losses, from a run folder's events.jsonl.
struct RunEvents {
    QList<Step> steps;
    QList<double> validation;
};

RunEvents readRun(const QString& runDir) {
    RunEvents run;
    for (const QJsonObject& event : readEvents(runDir + "/events.jsonl")) {
        QJsonObject data = event["data"].toObject();
        if (event["type"] == "metrics")
            run.steps << Step{data["loss"].toDouble(), data["grad_norm"].toDouble()};
        if (event["type"] == "eval") run.validation << data["loss"].toDouble();
    }
    return run;
}

// Float tolerance: the ranks add the same numbers in another order.
void compareRuns(const RunEvents& actual, const RunEvents& expected) {
    QCOMPARE(actual.steps.size(), expected.steps.size());
    QVERIFY(!expected.steps.isEmpty());
    for (int i = 0; i < expected.steps.size(); ++i) {
        const Step& a = actual.steps[i];
        const Step& e = expected.steps[i];
        QVERIFY2(qAbs(a.loss - e.loss) < 1e-5 && qAbs(a.gradNorm - e.gradNorm) < 1e-4,
                 qPrintable(QString("step %1: loss %2 against %3, gradient norm %4 against %5")
                                .arg(i + 1)
                                .arg(a.loss, 0, 'g', 10)
                                .arg(e.loss, 0, 'g', 10)
                                .arg(a.gradNorm, 0, 'g', 10)
                                .arg(e.gradNorm, 0, 'g', 10)));
    }
    QCOMPARE(actual.validation.size(), expected.validation.size());
    for (int i = 0; i < expected.validation.size(); ++i)
        QVERIFY(qAbs(actual.validation[i] - expected.validation[i]) < 1e-5);
}

// The newest checkpoint's step in a run folder, 0 when there is none.
int latestCheckpointStep(const QString& runDir) {
    QStringList names = QDir(runDir + "/checkpoints").entryList({"step-*"}, QDir::Dirs, QDir::Name);
    return names.isEmpty() ? 0 : names.last().mid(5).toInt();
}

// The process ids of `pid`'s children.
QList<qint64> childrenOf(qint64 pid) {
    QFile file(QString("/proc/%1/task/%1/children").arg(pid));
    QList<qint64> children;
    if (!file.open(QIODevice::ReadOnly)) return children;
    for (const QByteArray& id : file.readAll().split(' '))
        if (!id.trimmed().isEmpty()) children << id.trimmed().toLongLong();
    return children;
}

// The local addresses (as /proc/net/tcp and tcp6 print them: hex address, colon, hex port) of the
// TCP sockets `pid` listens on.
QStringList listeningAddresses(qint64 pid) {
    QSet<QString> inodes;
    std::error_code error;
    for (const auto& fd : std::filesystem::directory_iterator(
             QString("/proc/%1/fd").arg(pid).toStdString(), error)) {
        const std::string target = std::filesystem::read_symlink(fd.path(), error).string();
        if (target.starts_with("socket:["))
            inodes.insert(QString::fromStdString(target.substr(8, target.size() - 9)));
    }
    QStringList addresses;
    for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        QFile file(table);
        if (!file.open(QIODevice::ReadOnly)) continue;
        for (const QByteArray& line : file.readAll().split('\n')) {
            const QList<QByteArray> fields = line.simplified().split(' ');
            constexpr const char* kListen = "0A";
            if (fields.size() > 9 && fields[3] == kListen && inodes.contains(fields[9]))
                addresses << QString::fromLatin1(fields[1]);
        }
    }
    return addresses;
}

}  // namespace

class TestCliLaunch : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

    // `strata-cli train` as rank `rank` of `worldSize`, rendezvousing at 127.0.0.1:port. With
    // `hostOfItsOwn` the rank is alone on a host with a run folder of its own, as the ranks of a
    // several-host run the worker starts.
    void startRank(QProcess& process, int rank, int worldSize, int port, const QStringList& args,
                   bool hostOfItsOwn = false) {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("RANK", QString::number(rank));
        environment.insert("WORLD_SIZE", QString::number(worldSize));
        environment.insert("MASTER_ADDR", "127.0.0.1");
        environment.insert("MASTER_PORT", QString::number(port));
        if (hostOfItsOwn) {
            environment.insert("LOCAL_RANK", "0");
            environment.insert("LOCAL_WORLD_SIZE", "1");
            environment.insert("STRATA_HOST_RUN_DIR", "1");
        }
        process.setProcessEnvironment(environment);
        process.start(STRATA_CLI, QStringList{"train", path("run.toml")} + args);
    }

    // Two ranks, each alone on a "host" with its own run folder; both must exit with `exitCode`.
    void runTwoHosts(const QString& first, const QString& second, const QStringList& args,
                     int exitCode) {
        const int port = strata::run::freeTcpPort();
        QProcess rank0, rank1;
        startRank(rank0, 0, 2, port, QStringList{"--run-dir", first} + args, true);
        startRank(rank1, 1, 2, port, QStringList{"--run-dir", second} + args, true);
        for (QProcess* rank : {&rank0, &rank1}) {
            QVERIFY(rank->waitForFinished(60000));
            QVERIFY2(rank->exitCode() == exitCode, rank->readAllStandardError().constData());
        }
    }

    // Starts `launch` on two ranks of a run too long to end by itself, checkpointing every
    // `checkpointEvery` steps, and returns their pids once `ready` holds (or after a minute).
    QList<qint64> startLongLaunch(QProcess& launch, const QString& runDir, int checkpointEvery,
                                  const std::function<bool()>& ready) {
        launch.start(STRATA_CLI, {"launch", "--nproc", "2", path("run.toml"), "--run-dir", runDir,
                                  "--set", "train.max_steps=100000", "--set", "train.eval_every=0",
                                  "--set", QString("checkpoint.every=%1").arg(checkpointEvery)});
        if (!launch.waitForStarted()) return {};
        QElapsedTimer timer;
        timer.start();
        while (!ready() && timer.elapsed() < 60000)
            QTest::qWait(20);
        return childrenOf(launch.processId());
    }

    // The log events of a run folder, as "rank level: message".
    QStringList logLines(const QString& runDir) {
        QStringList lines;
        for (const QJsonObject& event : readEvents(runDir + "/events.jsonl")) {
            if (event["type"] != "log") continue;
            QJsonObject data = event["data"].toObject();
            lines << QString("%1 %2: %3")
                         .arg(event["rank"].toInt())
                         .arg(data["level"].toString(), data["message"].toString());
        }
        return lines;
    }

private slots:
    void initTestCase() {
        tiny::writeData(m_dir.path().toStdString());
        QVERIFY(writeFile(path("run.toml"), QByteArray::fromStdString(launchConfig())));
        CliRun one = runCli({"train", path("run.toml"), "--run-dir", path("runs/one")});
        QVERIFY2(one.exitCode == 0, qPrintable(one.err));
    }

    void ranksTakeTheStepsOfOneProcess_data() {
        QTest::addColumn<QString>("ranks");
        QTest::newRow("2 ranks") << "2";
        QTest::newRow("4 ranks") << "4";
    }
    void ranksTakeTheStepsOfOneProcess() {
        QFETCH(QString, ranks);
        const QString runDir = path("runs/dp" + ranks);
        CliRun run = runCli({"launch", "--nproc", ranks, path("run.toml"), "--run-dir", runDir});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.err.contains("launched ranks 0.." + QString::number(ranks.toInt() - 1)));
        compareRuns(readRun(runDir), readRun(path("runs/one")));
        // Rank 0 alone writes the run folder.
        QCOMPARE(latestCheckpointStep(runDir), 4);
    }

    void zeroOneTakesTheStepsOfDataParallelAndResumesOntoMoreRanks() {
        const QString runDir = path("runs/zero1");
        CliRun run = runCli({"launch", "--nproc", "2", path("run.toml"), "--run-dir", runDir,
                             "--set", "dist.zero1=true"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // Each rank keeps moments for its share only, and the shares add up.
        QRegularExpression share(
            "ZeRO-1: rank (\\d) keeps AdamW's moments for (\\d+) of (\\d+) parameters");
        qint64 kept = 0, total = 0;
        for (auto match = share.globalMatch(run.err); match.hasNext();) {
            QRegularExpressionMatch found = match.next();
            kept += found.captured(2).toLongLong();
            total = found.captured(3).toLongLong();
            QVERIFY(found.captured(2).toLongLong() < total);
        }
        QVERIFY2(total > 0 && kept == total, qPrintable(run.err));
        compareRuns(readRun(runDir), readRun(path("runs/dp2")));

        // The checkpoint holds the whole optimizer state: 4 ranks and 1 process continue alike.
        CliRun four =
            runCli({"launch", "--nproc", "4", path("run.toml"), "--run-dir", runDir, "--resume",
                    "--set", "dist.zero1=true", "--set", "train.max_steps=6"});
        QVERIFY2(four.exitCode == 0, qPrintable(four.err));
        CliRun one = runCli({"train", path("run.toml"), "--run-dir", path("runs/one"), "--resume",
                             "--set", "train.max_steps=6"});
        QVERIFY2(one.exitCode == 0, qPrintable(one.err));
        compareRuns(readRun(runDir), readRun(path("runs/one")));
    }

    void expertParallelismTakesTheStepsOfOneProcessAndResumesOntoMoreRanks() {
        const QString runDir = path("runs/experts");
        CliRun run = runCli({"launch", "--nproc", "2", path("run.toml"), "--run-dir", runDir,
                             "--set", "dist.expert_parallel=true"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.err.contains("rank 1 holds experts 2-3 of each MoE layer"),
                 qPrintable(run.err));
        // Rank 1's note is in rank 0's events too, with its rank.
        QVERIFY2(logLines(runDir).contains(
                     "1 info: expert parallelism: rank 1 holds experts 2-3 of each MoE layer"),
                 qPrintable(logLines(runDir).join('\n')));
        compareRuns(readRun(runDir), readRun(path("runs/dp2")));

        // The checkpoint holds whole layers: 4 ranks, one expert each and ZeRO-1 for the rest,
        // continue as one process does.
        CliRun four = runCli({"launch", "--nproc", "4", path("run.toml"), "--run-dir", runDir,
                              "--resume", "--set", "dist.expert_parallel=true", "--set",
                              "dist.zero1=true", "--set", "train.max_steps=6"});
        QVERIFY2(four.exitCode == 0, qPrintable(four.err));
        QVERIFY2(four.err.contains("rank 3 holds experts 3-3 of each MoE layer"),
                 qPrintable(four.err));
        compareRuns(readRun(runDir), readRun(path("runs/one")));
    }

    void hostsWithRunFoldersOfTheirOwnEachKeepTheWholeRun() {
        const QString first = path("runs/host-a"), second = path("runs/host-b");
        runTwoHosts(first, second, {"--set", "dist.zero1=true"}, 0);
        for (const QString& runDir : {first, second}) {
            compareRuns(readRun(runDir), readRun(path("runs/dp2")));
            QCOMPARE(latestCheckpointStep(runDir), 4);
        }
        QVERIFY2(
            logLines(first).filter(QRegularExpression("^1 info: ZeRO-1: rank 1 keeps")).size() == 1,
            qPrintable(logLines(first).join('\n')));
        QVERIFY(
            logLines(second).filter(QRegularExpression("^1 info: ZeRO-1: rank 1 keeps")).size() ==
            1);
        // Each host's checkpoint holds the whole optimizer state: each resumes from its own, as
        // one process resumes.
        runTwoHosts(first, second,
                    {"--resume", "--set", "dist.zero1=true", "--set", "train.max_steps=6"}, 0);
        for (const QString& runDir : {first, second})
            compareRuns(readRun(runDir), readRun(path("runs/one")));
    }

    void theFailedRanksErrorEndsTheRun() {
        const QString first = path("runs/host-c"), second = path("runs/host-d");
        // Rank 1 cannot write its first checkpoint (step 2): a file is where its folder goes.
        QVERIFY(QDir().mkpath(second));
        QVERIFY(writeFile(second + "/checkpoints", "not a folder"));
        runTwoHosts(first, second, {}, 1);
        QJsonObject finished = readEvents(first + "/events.jsonl").last();
        QCOMPARE(finished["type"].toString(), QString("run_finished"));
        const QString message = finished["data"].toObject()["message"].toString();
        QVERIFY2(message.startsWith("rank 1: ") && message.contains("checkpoints"),
                 qPrintable(message));
        QVERIFY2(logLines(first).filter(QRegularExpression("^1 error: .*checkpoints")).size() == 1,
                 qPrintable(logLines(first).join('\n')));
    }

    void aKilledRankFailsTheRunWhichResumes() {
        const QString runDir = path("runs/killed");
        QProcess launch;
        QList<qint64> ranks =
            startLongLaunch(launch, runDir, 3, [&] { return latestCheckpointStep(runDir) >= 3; });
        QCOMPARE(ranks.size(), 2);
        ::kill(pid_t(ranks[1]), SIGKILL);
        // The survivor notices the closed connection (or times out after dist.timeout_s).
        QVERIFY(launch.waitForFinished(60000));
        QVERIFY(launch.exitCode() != 0);
        const QString err = QString::fromUtf8(launch.readAllStandardError());
        QVERIFY2(err.contains("exited with status"), qPrintable(err));
        QVERIFY2(err.contains("failed (a rank exited or did not answer"), qPrintable(err));

        const int step = latestCheckpointStep(runDir);
        QVERIFY(step >= 3);
        CliRun resumed = runCli({"launch", "--nproc", "2", path("run.toml"), "--run-dir", runDir,
                                 "--resume", "--set", "train.eval_every=0", "--set",
                                 QString("train.max_steps=%1").arg(step + 2)});
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QCOMPARE(latestCheckpointStep(runDir), step + 2);
    }

    void aRunOnOneHostListensOnTheLoopbackOnly() {
        const QString runDir = path("runs/listening");
        QProcess launch;
        QList<qint64> ranks = startLongLaunch(launch, runDir, 100000,
                                              [&] { return readRun(runDir).steps.size() >= 2; });
        QCOMPARE(ranks.size(), 2);
        QStringList listening;
        for (qint64 rank : ranks)
            listening << listeningAddresses(rank);
        ::kill(pid_t(launch.processId()), SIGINT);
        QVERIFY(launch.waitForFinished(60000));
        // The rendezvous store and each rank's Gloo listen; 127.0.0.1 or ::1, nothing wider.
        QVERIFY(listening.size() >= 2);
        for (const QString& address : listening)
            QVERIFY2(address.startsWith("0100007F:") ||
                         address.startsWith("00000000000000000000000001000000:"),
                     qPrintable(listening.join(' ')));
    }

    void ranksStartedWithOtherConfigsFailAtStart() {
        const int port = strata::run::freeTcpPort();
        QProcess rank0, rank1;
        startRank(rank0, 0, 2, port, {"--run-dir", path("runs/mismatch")});
        startRank(rank1, 1, 2, port, {"--run-dir", path("runs/mismatch"), "--set", "train.seed=7"});
        QVERIFY(rank0.waitForFinished(60000));
        QVERIFY(rank1.waitForFinished(60000));
        for (QProcess* rank : {&rank0, &rank1}) {
            QCOMPARE(rank->exitCode(), 1);
            QString err = QString::fromUtf8(rank->readAllStandardError()).trimmed();
            QVERIFY2(err.split('\n').last().contains(
                         "rank 1 was started with another run than rank 0: line "),
                     qPrintable(err));
            QVERIFY2(err.contains("reads \"seed = 7\", rank 0's reads \"seed = 1234\""),
                     qPrintable(err));
        }
        QVERIFY(!QFile::exists(path("runs/mismatch/checkpoints")));
    }

    void anUnreachableMasterTimesOut() {
        QProcess rank1;
        QElapsedTimer timer;
        timer.start();
        // Nothing listens there: rank 0 never starts.
        startRank(rank1, 1, 2, 9, {"--run-dir", path("runs/alone"), "--set", "dist.timeout_s=2"});
        QVERIFY(rank1.waitForFinished(60000));
        QCOMPARE(rank1.exitCode(), 1);
        QString err = QString::fromUtf8(rank1.readAllStandardError()).trimmed();
        QVERIFY2(
            err.contains("error: rank 1: the rendezvous at 127.0.0.1:9 (MASTER_ADDR:MASTER_PORT) "
                         "failed within 2 s"),
            qPrintable(err));
        QVERIFY2(!err.contains('\n'), qPrintable(err));  // no c10d stack traces
        QVERIFY(timer.elapsed() < 30000);
    }

    void badInputIsOneLine_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("batch does not split")
            << QStringList{"launch", "--nproc", "3", "@run.toml"}
            << "strata-cli launch: error: train.micro_batch_size = 8 does not split evenly across "
               "the 3 processes of the run (WORLD_SIZE); make it a multiple of 3";
        QTest::newRow("experts do not split")
            << QStringList{"launch",    "--nproc", "8",
                           "@run.toml", "--set",   "dist.expert_parallel=true"}
            << "strata-cli launch: error: model.moe.num_routed_experts = 4 does not split evenly "
               "across the 8 processes of the run (dist.expert_parallel)";
        QTest::newRow("no nproc") << QStringList{"launch", "@run.toml"} << "--nproc N is required";
        QTest::newRow("node rank") << QStringList{"launch", "--nproc",     "2", "--nnodes",
                                                  "2",      "--node-rank", "2", "@run.toml"}
                                   << "--node-rank 2: expected 0 to 1 (--nnodes 2)";
        QTest::newRow("too many hosts")
            << QStringList{"launch", "--nproc", "2", "--nnodes", "4294967297", "@run.toml"}
            << "--nnodes 4294967297: expected 1 to 1024 hosts";
        QTest::newRow("hosts without master")
            << QStringList{"launch", "--nproc", "2", "--nnodes", "2", "@run.toml"}
            << "--nnodes 2: every host needs --master HOST:PORT";
        QTest::newRow("bad master")
            << QStringList{"launch", "--nproc", "2", "--master", "nohost", "@run.toml"}
            << "--master nohost: expected HOST:PORT";
        QTest::newRow("bad master port")
            << QStringList{"launch", "--nproc", "2", "--master", "127.0.0.1:80x", "@run.toml"}
            << "--master 127.0.0.1:80x: expected HOST:PORT";
        QTest::newRow("bucket size")
            << QStringList{"launch", "--nproc", "2", "@run.toml", "--set", "dist.bucket_mb=0"}
            << "dist.bucket_mb";
    }
    void badInputIsOneLine() {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        CliRun run = runCli(withPathsIn(m_dir, args));
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.lastErrorLine().contains(expected), qPrintable(run.err));
    }

    void aRankNeedsTheSharedRunFolder() {
        QProcess rank;
        startRank(rank, 1, 2, 9, {});
        QVERIFY(rank.waitForFinished(60000));
        QCOMPARE(rank.exitCode(), 1);
        QVERIFY(QString::fromUtf8(rank.readAllStandardError())
                    .contains("every process of a multi-process run needs the same --run-dir"));
    }
};

QTEST_GUILESS_MAIN(TestCliLaunch)
#include "tst_cli_launch.moc"
