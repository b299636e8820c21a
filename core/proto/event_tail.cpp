#include "core/proto/event_tail.h"

#include <charconv>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace strata::proto {

int64_t eventSeq(std::string_view line) {
    constexpr std::string_view prefix = "{\"seq\":";
    if (line.substr(0, prefix.size()) != prefix) return -1;
    int64_t seq = -1;
    const char* begin = line.data() + prefix.size();
    auto [end, error] = std::from_chars(begin, line.data() + line.size(), seq);
    return error == std::errc() && end != begin ? seq : -1;
}

EventTail::EventTail(std::filesystem::path path, int64_t afterSeq)
    : m_path(std::move(path)), m_lastSeq(afterSeq) {}

size_t EventTail::poll(std::vector<std::string>& lines, size_t maxLines) {
    const int fd = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    // m_offset is always the end of the last complete line taken: a partial line is read again
    // next time from the file, which a resuming trainer may have cut and rewritten meanwhile.
    size_t found = 0;
    std::string buffer;
    char chunk[1 << 16];
    while (found < maxLines) {
        ssize_t got = ::pread(fd, chunk, sizeof chunk, off_t(m_offset + buffer.size()));
        if (got <= 0) break;
        buffer.append(chunk, size_t(got));
        size_t start = 0;
        size_t newline;
        while (found < maxLines && (newline = buffer.find('\n', start)) != std::string::npos) {
            std::string_view line(buffer.data() + start, newline - start);
            start = newline + 1;
            int64_t seq = eventSeq(line);
            if (seq <= m_lastSeq) continue;
            m_lastSeq = seq;
            lines.emplace_back(line);
            ++found;
        }
        m_offset += start;
        buffer.erase(0, start);
    }
    ::close(fd);
    return found;
}

}  // namespace strata::proto
