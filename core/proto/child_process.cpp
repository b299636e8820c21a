#include "core/proto/child_process.h"

#include "core/common/error.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace strata::proto {

namespace {

constexpr size_t kKeptErrorBytes = 16384;

void closeFd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv) {
    // A child that died (ssh killed, a dropped link) must show as a failed write, not end this
    // process with SIGPIPE; the child itself starts with the default again.
    static const bool pipeSignalIgnored = std::signal(SIGPIPE, SIG_IGN) != SIG_ERR;
    (void)pipeSignalIgnored;
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0)
        common::fail("cannot start {}: {}", argv[0], std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    std::vector<char*> args;
    for (const std::string& arg : argv)
        args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF);
    int code = posix_spawnp(&m_pid, args[0], &actions, &attributes, args.data(), environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    m_stdin = in[1];
    m_stdout = out[0];
    m_stderr = err[0];
    if (code != 0) {
        closeFd(m_stdin);
        closeFd(m_stdout);
        closeFd(m_stderr);
        m_reaped = true;
        common::fail("cannot start {}: {}", argv[0], std::strerror(code));
    }
    ::fcntl(m_stderr, F_SETFL, ::fcntl(m_stderr, F_GETFL) | O_NONBLOCK);
}

ChildProcess::~ChildProcess() {
    closeInput();
    if (!m_reaped) {
        // A worker leaves when its input ends; one that does not (a hung ssh) is killed.
        for (int tries = 0; tries < 50 && !m_reaped; ++tries) {
            int status;
            if (::waitpid(m_pid, &status, WNOHANG) == m_pid)
                m_reaped = true;
            else
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        if (!m_reaped) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
    }
    closeFd(m_stdout);
    closeFd(m_stderr);
}

bool ChildProcess::write(std::string_view bytes) {
    while (!bytes.empty()) {
        if (m_stdin < 0) return false;
        ssize_t written = ::write(m_stdin, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return false;
        bytes.remove_prefix(size_t(written));
    }
    return true;
}

void ChildProcess::closeInput() {
    closeFd(m_stdin);
}

void ChildProcess::drainErrors() {
    char buffer[4096];
    ssize_t got;
    while (m_stderr >= 0 && (got = ::read(m_stderr, buffer, sizeof buffer)) > 0) {
        m_errors.append(buffer, size_t(got));
        if (m_errors.size() > kKeptErrorBytes) m_errors.erase(0, m_errors.size() - kKeptErrorBytes);
    }
}

void ChildProcess::kill() {
    if (m_reaped) return;
    ::kill(m_pid, SIGKILL);
    wait();
}

int ChildProcess::wait() {
    if (!m_reaped) {
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
        m_reaped = true;
        m_exitCode = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
    }
    return m_exitCode;
}

std::string ChildProcess::lastErrorLine() const {
    size_t end = m_errors.find_last_not_of("\r\n \t");
    if (end == std::string::npos) return {};
    size_t start = m_errors.rfind('\n', end);
    start = start == std::string::npos ? 0 : start + 1;
    return m_errors.substr(start, end + 1 - start);
}

}  // namespace strata::proto
