// Processes that outlive whoever started them: a run's trainer is started in its own session
// (setsid: its own process group, no controlling terminal), as a grandchild that init adopts,
// with stdin from /dev/null and its output in the run's log file, so neither a closed pipe, a
// hang-up on the SSH channel nor the worker's exit reaches it. A later worker finds it again by
// pid and start time (the pair tells a reused pid from the original).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

namespace strata::proto {

struct ProcessId {
    pid_t pid = 0;
    uint64_t startTime = 0;  // clock ticks after boot, /proc/PID/stat field 22
};

// Starts argv[0] (a path) with exactly `environment` ("NAME=value" entries); throws
// common::Error when it cannot fork. A program that cannot be executed writes why to `logFile`
// and exits 127.
// With an `exitFile`, the process returned is a waiter that runs the program as its child and
// writes the program's exit code ("0\n"; 128 + N when killed by signal N) there once it ends;
// the waiter ignores SIGTERM, so a SIGTERM to the group (signalGroup) still has the code written.
ProcessId launchDetached(const std::vector<std::string>& argv,
                         const std::vector<std::string>& environment,
                         const std::filesystem::path& logFile,
                         const std::filesystem::path& workingDir,
                         const std::filesystem::path& exitFile = {});

// True while the process runs (a zombie or a different process under the same pid is not it).
bool isRunning(const ProcessId& process);
// Sends `signal` when the process is still the one launched; false otherwise.
bool signalProcess(const ProcessId& process, int signal);
// Sends `signal` to the process group of the launch (the program and, with an exit file, its
// waiter) when the process is still the one launched; false otherwise.
bool signalGroup(const ProcessId& process, int signal);
// The start time of pid, or 0 when there is no such process.
uint64_t processStartTime(pid_t pid);

}  // namespace strata::proto
