#include "core/common/process_lock.h"

#include "core/common/error.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace strata::common {

namespace {

struct flock wholeFile(short type) {
    struct flock lock {};
    lock.l_type = type;
    lock.l_whence = SEEK_SET;
    return lock;
}

// The holder of a write lock on the file open as `fd`, if another process holds one.
std::optional<pid_t> holderOf(int fd) {
    struct flock probe = wholeFile(F_WRLCK);
    if (::fcntl(fd, F_GETLK, &probe) != 0 || probe.l_type == F_UNLCK) return std::nullopt;
    return probe.l_pid;
}

}  // namespace

ProcessLock::ProcessLock(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) fail("{}: cannot open the lock file: {}", path.string(), std::strerror(errno));
    struct flock lock = wholeFile(F_WRLCK);
    if (::fcntl(fd, F_SETLK, &lock) == 0) {
        m_fd = fd;
        return;
    }
    const int error = errno;
    m_holder = holderOf(fd).value_or(0);
    ::close(fd);
    if (error != EACCES && error != EAGAIN)
        fail("{}: cannot lock: {}", path.string(), std::strerror(error));
}

ProcessLock::~ProcessLock() {
    if (m_fd >= 0) ::close(m_fd);
}

std::optional<pid_t> processLockHolder(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::optional<pid_t> holder = holderOf(fd);
    ::close(fd);
    return holder;
}

}  // namespace strata::common
