// Reads one input file in chunks, decompressing .zst on the fly, so no file is ever loaded whole.
// It knows nothing of documents or lines: the DocumentReader splits what it returns. A .zst that
// ends mid-frame is an error ("truncated zstd stream"), never a silently short read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

typedef struct ZSTD_DCtx_s ZSTD_DCtx;

namespace strata::cleaning {

class ByteSource {
public:
    // Opens `path`; a name ending in .zst is decompressed. Throws common::Error naming the file.
    explicit ByteSource(std::filesystem::path path);
    ~ByteSource();
    ByteSource(const ByteSource&) = delete;
    ByteSource& operator=(const ByteSource&) = delete;

    // Reads up to `capacity` bytes into `out`; returns 0 only at the end of the data.
    size_t read(char* out, size_t capacity);

    const std::filesystem::path& path() const { return m_path; }
    // Bytes taken from the file so far (compressed bytes for .zst), for progress.
    uint64_t fileBytesRead() const { return m_fileBytesRead; }

private:
    size_t readRaw(char* out, size_t capacity);
    size_t readZstd(char* out, size_t capacity);

    std::filesystem::path m_path;
    int m_fd = -1;
    ZSTD_DCtx* m_zstd = nullptr;
    std::vector<char> m_compressed;
    size_t m_compressedPos = 0;
    size_t m_compressedSize = 0;
    bool m_rawEnd = false;
    size_t m_frameRemaining = 0;
    uint64_t m_fileBytesRead = 0;  // ZSTD_decompressStream's last hint: 0 when a frame is complete
};

}  // namespace strata::cleaning
