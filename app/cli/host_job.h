// A job of a workspace on another host (proto::WorkspaceJobs there), run from the command line:
// `strata-cli labels score -w ssh://...` starts it through the host's worker and prints its
// output as it comes, progress as a terminal shows it, until the job ends. Ctrl-C leaves it
// running on the host.
#pragma once

#include "core/proto/worker_target.h"
#include "core/proto/workspace_jobs.h"

namespace strata::app {

// Returns the exit code: 0 when the job succeeded (or was left running), 1 otherwise.
int runHostJob(const proto::WorkerTarget& workspace, const proto::JobSpec& spec);

}  // namespace strata::app
