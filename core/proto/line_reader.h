// Splits what arrives on a file descriptor (a pipe, stdin, an SSH channel) into lines, holding
// at most one line's worth of bytes: a line over the cap is reported as oversized and skipped to
// its newline without being kept, so a peer cannot make the reader grow without bound.
#pragma once

#include "core/proto/protocol.h"

#include <cstddef>
#include <string>
#include <vector>

namespace strata::proto {

struct Line {
    std::string text;  // without the newline; empty when oversized
    bool oversized = false;
    size_t size = 0;  // the line's length in bytes, also when it was dropped
};

class LineReader {
public:
    explicit LineReader(int fd, size_t maxLineBytes = kMaxLineBytes);

    // One read() of what is available (blocking when nothing is); complete lines are appended to
    // `lines`. Returns false at the end of input; a last line without a newline is then
    // delivered too. EINTR is retried; other read errors count as the end of input.
    bool readSome(std::vector<Line>& lines);
    int fd() const { return m_fd; }

private:
    void finishLine(std::vector<Line>& lines);

    int m_fd;
    size_t m_maxLineBytes;
    std::string m_pending;
    size_t m_pendingSize = 0;  // bytes of the current line, counting dropped ones
    bool m_dropping = false;
    std::vector<char> m_buffer;
};

}  // namespace strata::proto
