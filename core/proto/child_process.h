// A child process the client talks to over pipes: the local `strata-cli worker --stdio`, or
// `ssh HOST strata-cli worker --stdio`. Its stdin and stdout carry the protocol; its stderr is
// kept (the last few KiB) so a failed SSH login can be reported in ssh's own words.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace strata::proto {

class ChildProcess {
public:
    // Starts argv (argv[0] looked up in PATH); throws common::Error when it cannot be started.
    explicit ChildProcess(const std::vector<std::string>& argv);
    // Closes its stdin, gives it a moment to leave, then kills it.
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Writes all of `bytes`; false when the child no longer reads.
    bool write(std::string_view bytes);
    void closeInput();
    int outputFd() const { return m_stdout; }
    int errorFd() const { return m_stderr; }
    // Reads what stderr has ready into the kept tail (non-blocking).
    void drainErrors();
    // The last non-empty line the child wrote to stderr.
    std::string lastErrorLine() const;
    // Kills the child at once and reaps it.
    void kill();
    // Waits for the child to exit and returns its exit code (128 + the signal that killed it).
    int wait();

private:
    pid_t m_pid = -1;
    int m_stdin = -1;
    int m_stdout = -1;
    int m_stderr = -1;
    bool m_reaped = false;
    int m_exitCode = 0;
    std::string m_errors;
};

}  // namespace strata::proto
