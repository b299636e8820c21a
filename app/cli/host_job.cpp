#include "app/cli/host_job.h"

#include "core/common/progress.h"
#include "core/proto/remote_workspace_files.h"
#include "core/proto/worker_connection.h"

#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <thread>

namespace strata::app {

namespace {

volatile std::sig_atomic_t g_leave = 0;

void leave(int) {
    g_leave = 1;
}

// A progress line as a terminal shows it, on stderr; any other line on stdout.
void printLine(const std::string& line) {
    if (std::optional<common::ProgressReport> report = common::parseProgressLine(line))
        fmt::print(stderr, "{}\n", common::progressText(*report));
    else
        fmt::print("{}\n", line);
}

}  // namespace

int runHostJob(const proto::WorkerTarget& workspace, const proto::JobSpec& spec) {
    proto::RemoteWorkspaceFiles files(workspace);
    proto::JobOutput output = files.startJob(spec);
    auto previous = std::signal(SIGINT, leave);
    for (;;) {
        for (const std::string& line : output.lines)
            printLine(line);
        std::fflush(stdout);
        if (output.state != proto::JobState::Running || g_leave) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        try {
            output = files.jobOutput(output.job, output.next);
        } catch (const proto::ConnectionLost& lost) {
            // The job goes on there; its output is read on from `next` once the host answers.
            fmt::print(stderr, "{}\n", lost.what());
            output.lines.clear();
        }
    }
    std::signal(SIGINT, previous);
    if (g_leave) {
        fmt::print(stderr, "left job {} running on {}\n", output.job, workspace.name());
        return 0;
    }
    return output.state == proto::JobState::Succeeded ? 0 : 1;
}

}  // namespace strata::app
