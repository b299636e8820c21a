#include "core/common/atomic_folder.h"

#include "core/common/error.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

namespace strata::common {

namespace fs = std::filesystem;

void syncFolder(const fs::path& folder) {
    int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

AtomicFolder::AtomicFolder(fs::path target) : m_target(std::move(target)) {
    if (fs::exists(m_target) && !fs::is_directory(m_target))
        fail("{}: exists and is not a folder", m_target.string());
    std::error_code error;
    if (m_target.has_parent_path()) fs::create_directories(m_target.parent_path(), error);
    m_staging = m_target;
    m_staging += fmt::format(".tmp-{}", ::getpid());
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
    syncFolder(m_staging);
    std::error_code error;
    fs::path old = m_target;
    old += fmt::format(".old-{}", ::getpid());
    bool hadOld = fs::exists(m_target);
    if (hadOld) fs::rename(m_target, old, error);
    if (error)
        fail("{}: cannot replace the existing folder: {}", m_target.string(), error.message());
    fs::rename(m_staging, m_target, error);
    if (error) {
        if (hadOld) fs::rename(old, m_target, error);
        fail("{}: cannot move the finished folder into place: {}", m_target.string(),
             error.message());
    }
    m_committed = true;
    syncFolder(m_target.parent_path());
    if (hadOld) fs::remove_all(old, error);
}

}  // namespace strata::common
