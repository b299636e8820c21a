#include "core/proto/line_reader.h"

#include <cerrno>
#include <cstring>

#include <unistd.h>

namespace strata::proto {

LineReader::LineReader(int fd, size_t maxLineBytes)
    : m_fd(fd), m_maxLineBytes(maxLineBytes), m_buffer(size_t(1) << 16) {}

void LineReader::finishLine(std::vector<Line>& lines) {
    Line line;
    line.oversized = m_dropping;
    line.size = m_pendingSize;
    if (!m_dropping) line.text = std::move(m_pending);
    lines.push_back(std::move(line));
    m_pending.clear();
    m_pendingSize = 0;
    m_dropping = false;
}

bool LineReader::readSome(std::vector<Line>& lines) {
    ssize_t got;
    do {
        got = ::read(m_fd, m_buffer.data(), m_buffer.size());
    } while (got < 0 && errno == EINTR);
    if (got <= 0) {
        if (m_pendingSize > 0) finishLine(lines);
        return false;
    }
    const char* data = m_buffer.data();
    const char* end = data + got;
    while (data < end) {
        const char* newline = static_cast<const char*>(std::memchr(data, '\n', size_t(end - data)));
        const char* stop = newline ? newline : end;
        size_t length = size_t(stop - data);
        m_pendingSize += length;
        if (!m_dropping && m_pendingSize > m_maxLineBytes) {
            m_dropping = true;
            m_pending.clear();
            m_pending.shrink_to_fit();
        }
        if (!m_dropping) m_pending.append(data, length);
        if (!newline) break;
        finishLine(lines);
        data = newline + 1;
    }
    return true;
}

}  // namespace strata::proto
