// A run's Slurm job, without a cluster: the batch script (valid bash, paths quoted for the
// shell, torchrun's variables from Slurm's), the sbatch command line, which sbatch options a
// user may add, and how squeue's states read. tst_slurm_runs runs the same jobs on a real Slurm.
#include "core/proto/slurm_job.h"
#include "tests/error_of.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace strata;

namespace {

proto::SlurmJob sampleJob() {
    proto::SlurmJob job;
    job.runId = "tiny-20261207-101500";
    job.runDir = "/shared/team ws/runs/it's-a-run";
    job.workspace = "/shared/team ws";
    job.cli = "/opt/strata/bin/strata-cli";
    job.nodes = 2;
    job.tasksPerNode = 4;
    job.sbatchOptions = {"--partition=gpu", "--gres=gpu:4"};
    return job;
}

}  // namespace

class TestSlurmJob : public QObject {
    Q_OBJECT

private slots:
    void scriptIsBashThatStartsOneRankATask() {
        const std::string script = proto::slurmJobScript(sampleJob());
        QVERIFY(script.starts_with("#!/bin/bash\n"));
        for (const char* expected :
             {"scontrol show hostnames \"$SLURM_JOB_NODELIST\"", "RANK=$SLURM_PROCID",
              "LOCAL_RANK=$SLURM_LOCALID", "WORLD_SIZE=$SLURM_NTASKS", "LOCAL_WORLD_SIZE=4",
              "MASTER_PORT=$((20000 + SLURM_JOB_ID % 20000))", "--resume-if-checkpoint",
              // The run folder's quote survives the shell.
              "'/shared/team ws/runs/it'\\''s-a-run/run.toml'"})
            QVERIFY2(script.find(expected) != std::string::npos, expected);
        QTemporaryDir dir;
        const QString path = dir.filePath("job.sh");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(script.data(), qint64(script.size()));
        file.close();
        QProcess bash;
        bash.start("bash", {"-n", path});
        QVERIFY(bash.waitForFinished(10000));
        QVERIFY2(bash.exitCode() == 0, bash.readAllStandardError().constData());
    }

    void sbatchGetsTheRunsShapeAndTheUsersOptions() {
        const std::vector<std::string> argv = proto::sbatchCommand(sampleJob(), "/x/job.sh");
        QCOMPARE(argv.front(), std::string("sbatch"));
        QCOMPARE(argv.back(), std::string("/x/job.sh"));
        for (const char* expected :
             {"--parsable", "--nodes=2", "--ntasks-per-node=4", "--requeue",
              "--job-name=tiny-20261207-101500", "--chdir=/shared/team ws", "--partition=gpu",
              "--gres=gpu:4", "--output=/shared/team ws/runs/it's-a-run/logs/slurm-%j.out"})
            QVERIFY2(std::find(argv.begin(), argv.end(), expected) != argv.end(), expected);
    }

    void sbatchOptionsAreChecked_data() {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("error");
        QTest::newRow("no dashes") << "partition=gpu"
                                   << "is not an sbatch option";
        QTest::newRow("short") << "-p"
                               << "is not an sbatch option";
        QTest::newRow("space") << "--comment=a b"
                               << "is not an sbatch option";
        QTest::newRow("newline") << "--time=1:00\n#SBATCH --x"
                                 << "is not an sbatch option";
        QTest::newRow("strata's") << "--output=/tmp/x"
                                  << "--output is set by Strata";
        QTest::newRow("strata's flag") << "--no-requeue"
                                       << "--no-requeue is set by Strata";
    }
    void sbatchOptionsAreChecked() {
        QFETCH(QString, option);
        QFETCH(QString, error);
        const QString message =
            errorOf([&] { proto::requireSbatchOption(option.toStdString(), "--sbatch-option"); });
        QVERIFY2(message.startsWith("--sbatch-option: ") && message.contains(error),
                 qPrintable(message));
    }

    void usersOptionsPass() {
        for (const char* option : {"--partition=gpu", "--time=04:00:00", "--exclusive",
                                   "--gres=gpu:h100:8", "--account=team-1"})
            proto::requireSbatchOption(option, "--sbatch-option");
    }

    void jobIds() {
        QVERIFY(proto::isSlurmJobId("4242"));
        QVERIFY(proto::isSlurmJobId("4242_7"));
        for (const char* bad : {"", "abc", "12;34", "-1", "_1", "1 2"})
            QVERIFY2(!proto::isSlurmJobId(bad), bad);
    }

    void statesRead() {
        auto job = [](const char* state, const char* reason) {
            return proto::SlurmJobState{state, reason};
        };
        QVERIFY(job("PENDING", "Resources").active() && job("PENDING", "Resources").waiting());
        QCOMPARE(job("PENDING", "Resources").text(), std::string("PENDING (Resources)"));
        QVERIFY(job("RUNNING", "None").active() && !job("RUNNING", "None").waiting());
        QCOMPARE(job("RUNNING", "None").text(), std::string("RUNNING"));
        QVERIFY(job("COMPLETING", "None").active());
        QCOMPARE(job("FAILED", "NonZeroExitCode").text(), std::string("FAILED (NonZeroExitCode)"));
        QCOMPARE(job("CANCELLED", "Resources").text(), std::string("CANCELLED"));
        QVERIFY(job("REQUEUED", "None").waiting());
        for (const char* ended : {"COMPLETED", "CANCELLED", "FAILED", "TIMEOUT", "NODE_FAIL"})
            QVERIFY2(!job(ended, "None").active(), ended);
    }
};

QTEST_GUILESS_MAIN(TestSlurmJob)
#include "tst_slurm_job.moc"
