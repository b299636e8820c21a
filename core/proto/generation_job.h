// One generate request as the worker serves it: a `strata-cli generate --json` child that reads
// the prompts on its stdin and writes generation lines (generation_lines.h), whose pieces the
// worker relays as "generated" messages until the child exits; then one finished line, or an
// error line with the child's reason (its error line, or else its last line on stderr). Ending
// the job (a cancel request, the client leaving) kills the child. The model runs in that child,
// so the worker stays LibTorch-free and a crash in generation stays there.
#pragma once

#include "core/proto/child_process.h"
#include "core/proto/line_reader.h"
#include "core/proto/protocol.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace strata::proto {

class GenerationJob {
public:
    // Starts the child on `checkpoint` (already checked to lie inside the workspace); throws
    // common::Error when it cannot be started.
    GenerationJob(int64_t id, const std::filesystem::path& cli,
                  const std::filesystem::path& checkpoint, const GenerateSpec& spec);
    // Kills the child when it is still generating.
    ~GenerationJob();
    GenerationJob(const GenerationJob&) = delete;
    GenerationJob& operator=(const GenerationJob&) = delete;

    int64_t id() const { return m_id; }
    int outputFd() const { return m_process.outputFd(); }
    int errorFd() const { return m_process.errorFd(); }
    // Reads what the child has ready (call when outputFd() polls readable) and appends the
    // messages to relay; returns false once the child has ended and its last message is out.
    bool read(std::vector<std::string>& messages);
    void drainErrors() { m_process.drainErrors(); }

private:
    int64_t m_id;
    ChildProcess m_process;
    LineReader m_reader;
    std::string m_error;  // the reason the child gave in its error line
};

}  // namespace strata::proto
