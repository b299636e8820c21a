// Writes a JSONL output atomically: lines are buffered, zstd-compressed when the name ends in
// .zst, and land in a common::AtomicFile, so the file appears under its name only on commit() and
// never half-written. It does not build JSON: callers append whole lines.
#pragma once

#include "core/common/atomic_file.h"

#include <filesystem>
#include <string>
#include <string_view>

typedef struct ZSTD_CCtx_s ZSTD_CCtx;

namespace strata::common {

class JsonlWriter {
public:
    // Throws common::Error naming `path` when its folder is not writable.
    explicit JsonlWriter(std::filesystem::path path, int zstdLevel = 3);
    ~JsonlWriter();
    JsonlWriter(const JsonlWriter&) = delete;
    JsonlWriter& operator=(const JsonlWriter&) = delete;

    // Appends one line; `json` must not contain a newline (one is added).
    void writeLine(std::string_view json);
    // Flushes, ends the zstd frame and renames the file into place.
    void commit();

    const std::filesystem::path& path() const { return m_file.path(); }

private:
    void flush(bool end);

    AtomicFile m_file;
    ZSTD_CCtx* m_zstd = nullptr;
    std::string m_buffer;
    std::string m_compressed;
};

}  // namespace strata::common
