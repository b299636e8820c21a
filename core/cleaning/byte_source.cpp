#include "core/cleaning/byte_source.h"

#include "core/common/error.h"

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>

namespace strata::cleaning {

using common::fail;

ByteSource::ByteSource(std::filesystem::path path) : m_path(std::move(path)) {
    m_fd = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0) fail("{}: cannot read: {}", m_path.string(), std::strerror(errno));
    ::posix_fadvise(m_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    if (m_path.extension() == ".zst") {
        m_zstd = ZSTD_createDCtx();
        m_compressed.resize(ZSTD_DStreamInSize());
    }
}

ByteSource::~ByteSource() {
    if (m_zstd) ZSTD_freeDCtx(m_zstd);
    if (m_fd >= 0) ::close(m_fd);
}

size_t ByteSource::read(char* out, size_t capacity) {
    return m_zstd ? readZstd(out, capacity) : readRaw(out, capacity);
}

size_t ByteSource::readRaw(char* out, size_t capacity) {
    size_t done = 0;
    while (done < capacity) {
        ssize_t got = ::read(m_fd, out + done, capacity - done);
        if (got < 0) {
            if (errno == EINTR) continue;
            fail("{}: read failed: {}", m_path.string(), std::strerror(errno));
        }
        if (got == 0) break;
        done += size_t(got);
    }
    m_fileBytesRead += done;
    return done;
}

size_t ByteSource::readZstd(char* out, size_t capacity) {
    ZSTD_outBuffer output{out, capacity, 0};
    while (output.pos == 0) {
        if (m_compressedPos == m_compressedSize && !m_rawEnd) {
            m_compressedSize = readRaw(m_compressed.data(), m_compressed.size());
            m_compressedPos = 0;
            m_rawEnd = m_compressedSize == 0;
        }
        bool inputDone = m_compressedPos == m_compressedSize && m_rawEnd;
        if (inputDone && m_frameRemaining == 0) return 0;
        // With no input left this call still drains what the decoder holds back.
        ZSTD_inBuffer input{m_compressed.data(), m_compressedSize, m_compressedPos};
        size_t hint = ZSTD_decompressStream(m_zstd, &output, &input);
        if (ZSTD_isError(hint))
            fail("{}: corrupt zstd stream: {}", m_path.string(), ZSTD_getErrorName(hint));
        m_compressedPos = input.pos;
        m_frameRemaining = hint;
        if (inputDone && output.pos == 0) fail("{}: truncated zstd stream", m_path.string());
    }
    return output.pos;
}

}  // namespace strata::cleaning
