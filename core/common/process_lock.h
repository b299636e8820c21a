// A lock a process holds on a file for as long as it lives: a POSIX record lock, which the kernel
// drops when the process ends, however it ends, so a crash or kill -9 never leaves it held.
// Another process can ask who holds it without taking it. A trainer holds one on its run folder
// (trainer.lock), so two trainers never write one run.
//
// POSIX locks belong to the process, not the descriptor: the holder must not open and close the
// same file elsewhere (that would drop the lock), and a second lock in the same process succeeds.
#pragma once

#include <filesystem>
#include <optional>

#include <sys/types.h>

namespace strata::common {

class ProcessLock {
public:
    // Tries to take the lock on `path` (creating the file) without waiting; throws Error naming
    // the file when it cannot be opened.
    explicit ProcessLock(const std::filesystem::path& path);
    ~ProcessLock();
    ProcessLock(const ProcessLock&) = delete;
    ProcessLock& operator=(const ProcessLock&) = delete;

    bool held() const { return m_fd >= 0; }
    // When not held: the process holding it (0 if it ended while we asked).
    pid_t holder() const { return m_holder; }

private:
    int m_fd = -1;
    pid_t m_holder = 0;
};

// The process holding the lock on `path`, if any (none when the file does not exist).
std::optional<pid_t> processLockHolder(const std::filesystem::path& path);

}  // namespace strata::common
