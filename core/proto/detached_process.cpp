#include "core/proto/detached_process.h"

#include "core/common/error.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace strata::proto {

namespace {

// /proc/PID/stat: "pid (comm) state ppid ... starttime(22) ..."; comm may hold spaces and
// parentheses, so fields are counted from the last ')'.
bool readStat(pid_t pid, char& state, uint64_t& startTime) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t close = text.rfind(')');
    if (close == std::string::npos) return false;
    std::istringstream fields(text.substr(close + 1));
    std::string field;
    fields >> state;
    for (int index = 4; index <= 22 && fields >> field; ++index)
        if (index == 22) {
            startTime = std::stoull(field);
            return true;
        }
    return false;
}

void writeAll(int fd, const void* data, size_t size) {
    const char* bytes = static_cast<const char*>(data);
    while (size > 0) {
        ssize_t written = ::write(fd, bytes, size);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return;
        bytes += written;
        size -= size_t(written);
    }
}

}  // namespace

uint64_t processStartTime(pid_t pid) {
    char state;
    uint64_t startTime = 0;
    return readStat(pid, state, startTime) ? startTime : 0;
}

bool isRunning(const ProcessId& process) {
    char state = 0;
    uint64_t startTime = 0;
    if (process.pid <= 0 || !readStat(process.pid, state, startTime)) return false;
    return startTime == process.startTime && state != 'Z' && state != 'X';
}

bool signalProcess(const ProcessId& process, int signal) {
    return isRunning(process) && ::kill(process.pid, signal) == 0;
}

bool signalGroup(const ProcessId& process, int signal) {
    if (!isRunning(process)) return false;
    pid_t group = ::getpgid(process.pid);
    return group > 0 && ::kill(-group, signal) == 0;
}

ProcessId launchDetached(const std::vector<std::string>& argv,
                         const std::vector<std::string>& environment,
                         const std::filesystem::path& logFile,
                         const std::filesystem::path& workingDir,
                         const std::filesystem::path& exitFile) {
    // Everything the children need is prepared before fork: between fork and exec only
    // async-signal-safe calls are allowed.
    std::vector<char*> args;
    for (const std::string& arg : argv)
        args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    std::vector<char*> env;
    for (const std::string& entry : environment)
        env.push_back(const_cast<char*>(entry.c_str()));
    env.push_back(nullptr);
    std::string execFailure = "strata worker: cannot execute " + argv[0] + "\n";

    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0)
        common::fail("cannot start {}: {}", argv[0], std::strerror(errno));
    pid_t child = ::fork();
    if (child < 0) {
        ::close(report[0]);
        ::close(report[1]);
        common::fail("cannot start {}: {}", argv[0], std::strerror(errno));
    }
    if (child == 0) {
        ::setsid();
        pid_t grandchild = ::fork();
        if (grandchild == 0 && !exitFile.empty()) {
            // The waiter: it outlives a SIGTERM to the group to write the program's exit code.
            ::signal(SIGTERM, SIG_IGN);
            pid_t program = ::fork();
            if (program > 0) {
                int status = 0;
                while (::waitpid(program, &status, 0) < 0 && errno == EINTR) {
                }
                int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                char text[8];
                size_t length = 0;
                if (code >= 100) text[length++] = char('0' + code / 100);
                if (code >= 10) text[length++] = char('0' + code / 10 % 10);
                text[length++] = char('0' + code % 10);
                text[length++] = '\n';
                int out = ::open(exitFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
                if (out >= 0) writeAll(out, text, length);
                ::_exit(0);
            }
            ::signal(SIGTERM, SIG_DFL);
            if (program < 0) ::_exit(127);
        }
        if (grandchild == 0) {
            int devNull = ::open("/dev/null", O_RDONLY);
            int log = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (devNull < 0 || log < 0 || ::chdir(workingDir.c_str()) != 0) ::_exit(127);
            ::dup2(devNull, 0);
            ::dup2(log, 1);
            ::dup2(log, 2);
            ::close_range(3, ~0U, 0);
            ::signal(SIGPIPE, SIG_DFL);  // the worker ignores both; a trainer keeps the defaults
            ::signal(SIGXFSZ, SIG_DFL);
            ::execve(args[0], args.data(), env.data());
            writeAll(2, execFailure.data(), execFailure.size());
            ::_exit(127);
        }
        writeAll(report[1], &grandchild, sizeof grandchild);
        ::_exit(0);
    }
    ::close(report[1]);
    pid_t grandchild = -1;
    ssize_t got;
    do {
        got = ::read(report[0], &grandchild, sizeof grandchild);
    } while (got < 0 && errno == EINTR);
    ::close(report[0]);
    ::waitpid(child, nullptr, 0);
    if (got != ssize_t(sizeof grandchild) || grandchild <= 0)
        common::fail("cannot start {}: the launcher did not report a process", argv[0]);
    return {grandchild, processStartTime(grandchild)};
}

}  // namespace strata::proto
