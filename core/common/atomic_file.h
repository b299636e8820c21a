// An output file that appears under its final name only when complete: bytes go to a temporary
// file beside it, commit() flushes, fsyncs and renames, and anything short of commit() removes
// the temporary. A failure never leaves half a file that looks whole.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string_view>

namespace strata::common {

class AtomicFile {
public:
    // Opens the temporary file; throws Error naming `path` when its folder is not writable.
    explicit AtomicFile(std::filesystem::path path);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    void write(std::string_view bytes);
    void write(const void* data, size_t size);
    // Rewrites bytes already written (headers filled in at the end); does not move the end.
    void writeAt(uint64_t offset, const void* data, size_t size);
    uint64_t size() const { return m_size; }
    const std::filesystem::path& path() const { return m_path; }

    void commit();

private:
    std::filesystem::path m_path;
    std::filesystem::path m_tempPath;
    std::FILE* m_file = nullptr;
    uint64_t m_size = 0;
};

}  // namespace strata::common
