#include "core/common/atomic_folder.h"

#include "core/common/error.h"

#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <optional>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace strata::common {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kStagingTag = ".tmp-";
constexpr std::string_view kOldTag = ".old-";

fs::path tagged(const fs::path& target, std::string_view tag, pid_t pid) {
    fs::path path = target;
    path += fmt::format("{}{}", tag, pid);
    return path;
}

// NAME and PID of "NAME<tag>PID", or nothing when `file` is not named so.
std::optional<std::pair<std::string, pid_t>> splitTagged(const std::string& file,
                                                         std::string_view tag) {
    size_t at = file.rfind(tag);
    if (at == std::string::npos || at == 0) return std::nullopt;
    pid_t pid = 0;
    const char* digits = file.data() + at + tag.size();
    const char* end = file.data() + file.size();
    auto [stop, error] = std::from_chars(digits, end, pid);
    if (error != std::errc() || stop != end || pid <= 0) return std::nullopt;
    return std::pair(file.substr(0, at), pid);
}

bool processAlive(pid_t pid) {
    return ::kill(pid, 0) == 0 || errno == EPERM;
}

void syncPath(const fs::path& path, int flags) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) fail("{}: cannot open to sync: {}", path.string(), std::strerror(errno));
    int result = ::fsync(fd);
    int error = errno;
    ::close(fd);
    // Folders on some filesystems cannot be synced, and have nothing to sync.
    if (result != 0 && !(flags & O_DIRECTORY && (error == EINVAL || error == EBADF)))
        fail("{}: cannot sync: {}", path.string(), std::strerror(error));
}

// Every file and folder under `folder`, itself last: whatever wrote them (a copy, a library)
// they are on disk before the folder takes its final name.
void syncTree(const fs::path& folder) {
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(folder)) {
        if (entry.is_directory())
            syncPath(entry.path(), O_RDONLY | O_DIRECTORY);
        else if (entry.is_regular_file())
            syncPath(entry.path(), O_RDONLY);
    }
    syncPath(folder, O_RDONLY | O_DIRECTORY);
}

}  // namespace

void syncFolder(const fs::path& folder) {
    int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

AtomicFolder::AtomicFolder(fs::path target) : m_target(std::move(target)) {
    if (fs::exists(m_target) && !fs::is_directory(m_target))
        fail("{}: exists and is not a folder", m_target.string());
    std::error_code error;
    if (m_target.has_parent_path()) fs::create_directories(m_target.parent_path(), error);
    m_staging = tagged(m_target, kStagingTag, ::getpid());
    fs::remove_all(m_staging, error);
    if (!fs::create_directory(m_staging, error) || error)
        fail("{}: cannot create the output folder: {}", m_target.string(),
             error ? error.message() : "it already exists");
}

AtomicFolder::~AtomicFolder() {
    std::error_code ignored;
    if (!m_committed) fs::remove_all(m_staging, ignored);
}

void AtomicFolder::commit() {
    syncTree(m_staging);
    std::error_code error;
    fs::path replaced;  // the old target, under another name once the new one is in place
    if (!fs::exists(m_target)) {
        fs::rename(m_staging, m_target, error);
        if (error)
            fail("{}: cannot move the finished folder into place: {}", m_target.string(),
                 error.message());
    } else if (::renameat2(AT_FDCWD, m_staging.c_str(), AT_FDCWD, m_target.c_str(),
                           RENAME_EXCHANGE) == 0) {
        replaced = m_staging;
    } else if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP) {
        replaced = replaceInTwoRenames();
    } else {
        fail("{}: cannot replace the existing folder: {}", m_target.string(),
             std::strerror(errno));
    }
    m_committed = true;
    syncFolder(m_target.parent_path());
    if (!replaced.empty()) fs::remove_all(replaced, error);
}

fs::path AtomicFolder::replaceInTwoRenames() {
    // A filesystem without the atomic exchange: a crash between the renames leaves the old
    // folder as NAME.old-PID, which recoverStagingFolders() puts back.
    fs::path old = tagged(m_target, kOldTag, ::getpid());
    std::error_code error;
    fs::rename(m_target, old, error);
    if (error)
        fail("{}: cannot replace the existing folder: {}", m_target.string(), error.message());
    fs::rename(m_staging, m_target, error);
    if (error) {
        std::string reason = error.message();
        fs::rename(old, m_target, error);
        fail("{}: cannot move the finished folder into place: {}", m_target.string(), reason);
    }
    return old;
}

void recoverStagingFolders(const fs::path& parent) {
    std::error_code error;
    if (!fs::is_directory(parent, error)) return;
    std::vector<fs::path> entries;
    for (const fs::directory_entry& entry : fs::directory_iterator(parent, error))
        entries.push_back(entry.path());
    for (const fs::path& path : entries) {
        const std::string file = path.filename().string();
        if (auto staging = splitTagged(file, kStagingTag)) {
            if (!processAlive(staging->second)) fs::remove_all(path, error);
        } else if (auto old = splitTagged(file, kOldTag)) {
            if (processAlive(old->second)) continue;
            fs::path target = parent / old->first;
            if (fs::exists(target, error))
                fs::remove_all(path, error);
            else
                fs::rename(path, target, error);
        }
    }
    syncFolder(parent);
}

}  // namespace strata::common
