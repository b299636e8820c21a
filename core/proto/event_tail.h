// Follows a run folder's events.jsonl while the trainer appends to it: each poll() returns the
// complete lines written since the last poll whose seq is above the last one returned. Partial
// lines (a write in progress, or a torn line a crash left and a resume will cut) are read again
// next time, never returned, so a subscriber sees every event once and in order. The file is
// open only during a poll: a worker follows thousands of runs without holding a descriptor each.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace strata::proto {

// The seq of an events.jsonl line ({"seq":N,...}), or -1 when the line does not start with one.
int64_t eventSeq(std::string_view line);

class EventTail {
public:
    EventTail(std::filesystem::path path, int64_t afterSeq);

    // Appends up to `maxLines` new event lines to `lines` (the file may not exist yet).
    size_t poll(std::vector<std::string>& lines, size_t maxLines = 4096);
    int64_t lastSeq() const { return m_lastSeq; }

private:
    std::filesystem::path m_path;
    uint64_t m_offset = 0;
    int64_t m_lastSeq;
};

}  // namespace strata::proto
