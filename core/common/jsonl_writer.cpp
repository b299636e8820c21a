#include "core/common/jsonl_writer.h"

#include "core/common/error.h"

#include <zstd.h>

namespace strata::common {

namespace {
constexpr size_t kFlushBytes = 1 << 20;
}

JsonlWriter::JsonlWriter(std::filesystem::path path, int zstdLevel) : m_file(std::move(path)) {
    if (m_file.path().extension() == ".zst") {
        m_zstd = ZSTD_createCCtx();
        ZSTD_CCtx_setParameter(m_zstd, ZSTD_c_compressionLevel, zstdLevel);
        ZSTD_CCtx_setParameter(m_zstd, ZSTD_c_checksumFlag, 1);
        m_compressed.resize(ZSTD_CStreamOutSize());
    }
    m_buffer.reserve(kFlushBytes + 4096);
}

JsonlWriter::~JsonlWriter() {
    if (m_zstd) ZSTD_freeCCtx(m_zstd);
}

void JsonlWriter::writeLine(std::string_view json) {
    m_buffer += json;
    m_buffer.push_back('\n');
    if (m_buffer.size() >= kFlushBytes) flush(false);
}

void JsonlWriter::flush(bool end) {
    if (!m_zstd) {
        m_file.write(m_buffer);
        m_buffer.clear();
        return;
    }
    ZSTD_inBuffer input{m_buffer.data(), m_buffer.size(), 0};
    ZSTD_EndDirective mode = end ? ZSTD_e_end : ZSTD_e_continue;
    for (;;) {
        ZSTD_outBuffer output{m_compressed.data(), m_compressed.size(), 0};
        size_t remaining = ZSTD_compressStream2(m_zstd, &output, &input, mode);
        if (ZSTD_isError(remaining))
            fail("{}: zstd compression failed: {}", m_file.path().string(),
                 ZSTD_getErrorName(remaining));
        m_file.write(m_compressed.data(), output.pos);
        bool done = end ? remaining == 0 : input.pos == input.size;
        if (done) break;
    }
    m_buffer.clear();
}

void JsonlWriter::commit() {
    flush(true);
    m_file.commit();
}

}  // namespace strata::common
