// The worker's side of a workspace's files and jobs: it answers files_list, files_read,
// files_write, clean_preview and job_* (docs/protocol.md) through a LocalWorkspaceFiles confined
// to the workspace, so no request reaches a path outside it, and WorkspaceJobs, which runs the
// jobs as detached processes. A cleaning preview is read here, in the worker's loop: it samples
// a bounded number of documents (cleaning::PreviewOptions).
#pragma once

#include "core/proto/protocol.h"
#include "core/proto/workspace_jobs.h"
#include "core/store/workspace_files.h"

#include <filesystem>
#include <string>

namespace strata::proto {

class WorkspaceService {
public:
    // `cli`: the strata-cli the jobs run as.
    WorkspaceService(const std::filesystem::path& workspace, const std::filesystem::path& cli);

    // The reply's data for one of the workspace requests; throws common::Error with the reason
    // it cannot be answered.
    std::string answer(const Request& request);

private:
    store::LocalWorkspaceFiles m_files;
    WorkspaceJobs m_jobs;
};

}  // namespace strata::proto
