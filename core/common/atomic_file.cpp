#include "core/common/atomic_file.h"

#include "core/common/error.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace strata::common {

namespace fs = std::filesystem;

AtomicFile::AtomicFile(fs::path path) : m_path(std::move(path)) {
    m_tempPath = m_path;
    m_tempPath += fmt::format(".tmp-{}", ::getpid());
    m_file = std::fopen(m_tempPath.c_str(), "wb");
    if (!m_file) fail("{}: cannot write: {}", m_path.string(), std::strerror(errno));
    std::setvbuf(m_file, nullptr, _IOFBF, 1 << 20);
}

AtomicFile::~AtomicFile() {
    if (!m_file) return;
    std::fclose(m_file);
    std::error_code ignored;
    fs::remove(m_tempPath, ignored);
}

void AtomicFile::write(std::string_view bytes) {
    write(bytes.data(), bytes.size());
}

void AtomicFile::write(const void* data, size_t size) {
    if (size == 0) return;
    if (std::fwrite(data, 1, size, m_file) != size)
        fail("{}: write failed: {}", m_path.string(), std::strerror(errno));
    m_size += size;
}

void AtomicFile::writeAt(uint64_t offset, const void* data, size_t size) {
    if (std::fflush(m_file) != 0 ||
        ::pwrite(::fileno(m_file), data, size, off_t(offset)) != ssize_t(size))
        fail("{}: write failed: {}", m_path.string(), std::strerror(errno));
}

void AtomicFile::commit() {
    if (std::fflush(m_file) != 0 || ::fsync(::fileno(m_file)) != 0)
        fail("{}: write failed: {}", m_path.string(), std::strerror(errno));
    std::fclose(m_file);
    m_file = nullptr;
    std::error_code error;
    fs::rename(m_tempPath, m_path, error);
    if (error) {
        fs::remove(m_tempPath, error);
        fail("{}: cannot rename the finished file into place: {}", m_path.string(),
             error.message());
    }
    // The rename is durable only once the folder entry is on disk too.
    fs::path folder = m_path.has_parent_path() ? m_path.parent_path() : fs::path(".");
    int folderFd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
    if (folderFd >= 0) {
        ::fsync(folderFd);
        ::close(folderFd);
    }
}

}  // namespace strata::common
