// `strata-cli worker --stdio`: serves one client over a pair of file descriptors (its stdin and
// stdout, which may be an SSH channel) until the input ends. It answers requests, launches and
// signals runs through the RunRegistry, and streams the event logs of subscribed runs. Runs are
// detached processes: they keep training when the client or the worker goes away, and the next
// worker picks them up from their folders. Nothing a client sends can crash or stall it: every
// bad line gets an error message and the loop carries on.
#pragma once

#include <filesystem>
#include <string>

namespace strata::proto {

struct WorkerOptions {
    std::filesystem::path workspace;  // the root every path in a request must lie under
    std::filesystem::path cli;        // the strata-cli the trainers run as
    std::string strataVersion;
    std::string capabilitiesJson;  // {"devices": [...], "memory_bytes": N, ...} for hello
    int pollMilliseconds = 100;    // how often subscribed event logs are read
};

// Returns when `inFd` reaches its end or `outFd` is closed by the reader.
void serveWorker(int inFd, int outFd, const WorkerOptions& options);

}  // namespace strata::proto
