// A real OpenSSH server on 127.0.0.1, for the remote-target tests: host and client keys generated
// into a temporary folder, a free port, key authentication only, run in the foreground (sshd -D)
// and stopped with the fixture, or by stop() (a host gone offline) and started again on the same
// port by start(). The client side gets a target with the key, the port and a
// throwaway known-hosts file.
#pragma once

#include "core/proto/worker_target.h"
#include "tests/core/proto/loopback.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

class SshServer {
public:
    // `extraConfig`: more sshd_config lines, e.g. "SetEnv NAME=value" for every session.
    explicit SshServer(const std::vector<std::string>& extraConfig = {}) {
        std::filesystem::path dir = m_dir.path().toStdString();
        m_hostKey = dir / "host_ed25519";
        m_clientKey = dir / "client_ed25519";
        for (const std::filesystem::path& key : {m_hostKey, m_clientKey})
            run("ssh-keygen",
                {"-q", "-t", "ed25519", "-N", "", "-f", QString::fromStdString(key.string())});
        std::filesystem::copy_file(m_clientKey.string() + ".pub", dir / "authorized_keys");
        m_port = freeLoopbackPort();
        // Root's sshd needs its privilege separation folder.
        if (::geteuid() == 0) std::filesystem::create_directories("/run/sshd");
        std::ofstream(dir / "sshd_config")
            << "Port " << m_port << "\nListenAddress 127.0.0.1\n"
            << "HostKey " << m_hostKey.string() << "\n"
            << "AuthorizedKeysFile " << (dir / "authorized_keys").string() << "\n"
            << "PidFile " << (dir / "sshd.pid").string() << "\n"
            << "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
            << "StrictModes no\nPermitRootLogin prohibit-password\n";
        std::ofstream config(dir / "sshd_config", std::ios::app);
        for (const std::string& line : extraConfig)
            config << line << "\n";
        config.close();
        start();
    }
    ~SshServer() { stop(); }

    // Listens again after stop(); whether it does.
    bool start() {
        const QString config = m_dir.filePath("sshd_config");
        m_server.start("/usr/sbin/sshd", {"-D", "-e", "-f", config});
        m_started = m_server.waitForStarted(10000) && waitForPort();
        return m_started;
    }
    // The ssh clients this process started, one per open connection.
    static std::vector<pid_t> clientsOfThisProcess() {
        std::vector<pid_t> clients;
        for (const std::filesystem::directory_entry& entry :
             std::filesystem::directory_iterator("/proc")) {
            std::ifstream stat(entry.path() / "stat");
            std::string pid, command, state;
            pid_t parent = 0;
            if (stat >> pid >> command >> state >> parent && command == "(ssh)" &&
                parent == ::getpid())
                clients.push_back(std::stoi(pid));
        }
        return clients;
    }
    // Stops listening; sessions already open go on (their own sshd processes).
    void stop() {
        m_server.terminate();
        m_server.waitForFinished(5000);
        m_started = false;
    }

    bool started() const { return m_started; }
    QString log() { return QString::fromUtf8(m_server.readAllStandardError()); }
    int port() const { return m_port; }

    // A target for this server, running `cli` in `workspace` on the far side.
    strata::proto::WorkerTarget target(const std::string& cli, const std::string& workspace) const {
        strata::proto::WorkerTarget target =
            strata::proto::parseTarget("ssh://127.0.0.1:" + std::to_string(m_port));
        target.identityFile = m_clientKey.string();
        target.sshOptions = {"StrictHostKeyChecking=no",
                             "UserKnownHostsFile=" + (m_dir.path().toStdString() + "/known_hosts"),
                             "LogLevel=ERROR"};
        target.cli = cli;
        target.workspace = workspace;
        return target;
    }

private:
    static void run(const QString& program, const QStringList& args) {
        QProcess process;
        process.start(program, args);
        process.waitForFinished(30000);
    }
    bool waitForPort() {
        for (int attempt = 0; attempt < 200; ++attempt) {
            int fd = ::socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in address = loopbackAddress(m_port);
            bool open = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
            ::close(fd);
            if (open) return true;
            QTest::qWait(50);
        }
        return false;
    }

    QTemporaryDir m_dir;
    std::filesystem::path m_hostKey;
    std::filesystem::path m_clientKey;
    int m_port = 0;
    QProcess m_server;
    bool m_started = false;
};
