// A real single-node Slurm cluster on 127.0.0.1, for the Slurm target tests: Debian's munged,
// slurmctld and slurmd, each started by the fixture into a temporary folder with a key of its
// own and free ports, and stopped with it. Its slurm.conf is what clients find through
// SLURM_CONF (the fixture sets it in this process; an SSH server passes it on with SetEnv). A
// requeued job may start again after AuthInfo's cred_expire, here 5 s, the least Slurm takes.
#pragma once

#include "core/common/login_name.h"
#include "tests/core/proto/loopback.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

class SlurmCluster {
public:
    SlurmCluster() : m_dir(QDir::tempPath() + "/slurm-XXXXXX") {
        // slurmd's step sockets live under the spool folder and a socket path has 107 bytes.
        const std::filesystem::path dir = m_dir.path().toStdString();
        m_conf = dir / "slurm.conf";
        const std::filesystem::path munge = dir / "munge";
        const std::string socket = (munge / "munge.sock").string();
        for (const char* folder : {"munge", "state", "spool", "log"})
            std::filesystem::create_directories(dir / folder);
        // munged refuses a socket folder that others cannot search, and a readable key.
        std::filesystem::permissions(dir, std::filesystem::perms(0755));
        std::filesystem::permissions(munge, std::filesystem::perms(0755));
        if (!run("mungekey", {"-c", "-k", path(munge / "munge.key")})) return;
        std::filesystem::permissions(munge / "munge.key", std::filesystem::perms(0600));
        if (!run("munged", {"--socket=" + QString::fromStdString(socket),
                            "--key-file=" + path(munge / "munge.key"),
                            "--pid-file=" + path(munge / "munged.pid"),
                            "--log-file=" + path(munge / "munged.log"),
                            "--seed-file=" + path(munge / "munged.seed"), "--num-threads=2"}))
            return;
        m_mungePid = munge / "munged.pid";
        const std::string user = strata::common::loginName();
        std::ofstream(m_conf)
            << "ClusterName=strata\nSlurmctldHost=localhost(127.0.0.1)\n"
            << "SlurmctldPort=" << freeLoopbackPort() << "\nSlurmdPort=" << freeLoopbackPort()
            << "\n"
            << "SlurmUser=" << user << "\nSlurmdUser=" << user << "\n"
            << "AuthType=auth/munge\nCredType=cred/munge\n"
            << "AuthInfo=socket=" << socket << ",cred_expire=5\n"
            << "StateSaveLocation=" << (dir / "state").string() << "\n"
            << "SlurmdSpoolDir=" << (dir / "spool").string() << "\n"
            << "SlurmctldPidFile=" << (dir / "slurmctld.pid").string() << "\n"
            << "SlurmdPidFile=" << (dir / "slurmd.pid").string() << "\n"
            << "SlurmctldLogFile=" << (dir / "log/slurmctld.log").string() << "\n"
            << "SlurmdLogFile=" << (dir / "log/slurmd.log").string() << "\n"
            << "ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\n"
            << "SelectType=select/cons_tres\nSelectTypeParameters=CR_CPU\n"
            << "SchedulerType=sched/backfill\nSchedulerParameters=sched_interval=2,bf_interval=1\n"
            << "AccountingStorageType=accounting_storage/none\n"
            << "JobAcctGatherType=jobacct_gather/none\nJobRequeue=1\nMinJobAge=300\n"
            << "KillWait=10\nReturnToService=2\nMpiDefault=none\n"
            << "NodeName=localhost NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=" << kCpus
            << " State=UNKNOWN\n"
            << "PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP\n";
        ::setenv("SLURM_CONF", m_conf.c_str(), 1);
        m_ready = run("slurmctld", {"-f", path(m_conf), "-c"}) &&
                  run("slurmd", {"-f", path(m_conf), "-N", "localhost"}) && waitUntilIdle();
    }
    ~SlurmCluster() {
        const std::filesystem::path dir = m_dir.path().toStdString();
        for (const char* pidFile : {"slurmd.pid", "slurmctld.pid"})
            stop(dir / pidFile);
        stop(m_mungePid);
        ::unsetenv("SLURM_CONF");
    }

    // Whether every daemon started and the node is idle.
    bool ready() const { return m_ready; }
    // The CPUs of its one node (no more than the machine has): a job asking for all of them
    // holds it.
    static constexpr int kCpus = 2;
    std::string conf() const { return m_conf.string(); }
    // The daemons' logs, for a failing test's message.
    QString logs() const {
        QString text;
        for (const char* log : {"log/slurmctld.log", "log/slurmd.log"}) {
            QFile file(m_dir.filePath(log));
            if (file.open(QIODevice::ReadOnly))
                text += QString::fromUtf8(file.readAll()).right(3000);
        }
        return text;
    }

    // Runs a Slurm command against this cluster; its stdout, trimmed.
    static QString command(const QString& program, const QStringList& args) {
        QProcess process;
        process.start(program, args);
        process.waitForFinished(30000);
        return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
    }

private:
    static QString path(const std::filesystem::path& file) {
        return QString::fromStdString(file.string());
    }
    // Starts a daemon that detaches itself once it is ready; whether it said so.
    bool run(const QString& program, const QStringList& args) {
        QProcess process;
        process.start(program, args);
        const bool done = process.waitForFinished(30000) && process.exitCode() == 0;
        if (!done)
            qWarning("%s: %s", qPrintable(program),
                     process.readAllStandardError().right(500).constData());
        return done;
    }
    bool waitUntilIdle() {
        for (int attempt = 0; attempt < 300; ++attempt) {
            if (command("sinfo", {"-h", "-n", "localhost", "-o", "%T"}) == "idle") return true;
            QTest::qWait(100);
        }
        return false;
    }
    static void stop(const std::filesystem::path& pidFile) {
        std::ifstream in(pidFile);
        pid_t pid = 0;
        if (!(in >> pid) || pid <= 0) return;
        ::kill(pid, SIGTERM);
        for (int attempt = 0; attempt < 100 && ::kill(pid, 0) == 0; ++attempt)
            QTest::qWait(50);
        if (::kill(pid, 0) == 0) ::kill(pid, SIGKILL);
    }

    QTemporaryDir m_dir;
    std::filesystem::path m_conf;
    std::filesystem::path m_mungePid;
    bool m_ready = false;
};
