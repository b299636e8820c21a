// The files of a workspace on another host (ssh://host/path) and the jobs run in it, through that
// host's worker (WorkspaceService): what the Data, Tokenizer and Home pages of a remote workspace
// read, write and start. Paths are the host's, relative to the workspace or absolute inside it.
// Calls go through a WorkspaceLink (reconnects, and a pause after the host was unreachable); a
// call that could act twice (a job's start, a write that must not replace) is not sent again
// after a drop.
#pragma once

#include "core/proto/workspace_jobs.h"
#include "core/proto/workspace_link.h"
#include "core/store/workspace_files.h"

namespace strata::proto {

class RemoteWorkspaceFiles : public store::WorkspaceFiles {
public:
    // Connects on the first call, not here.
    explicit RemoteWorkspaceFiles(WorkerTarget target) : m_link(std::move(target)) {}

    std::string address() const override;
    std::string shownPath(const std::string& path) const override { return path; }
    std::vector<store::FolderEntry> list(const std::string& folder) override;
    bool exists(const std::string& path) override;
    std::string read(const std::string& path,
                     size_t maxBytes = store::kMaxWorkspaceFileBytes) override;
    void write(const std::string& path, std::string_view bytes, bool replace = true) override;
    std::vector<cleaning::PreviewDocument> previewCleaning(
        const std::string& configText, const std::vector<std::string>& sources) override;
    bool isLocal() const override { return false; }

    // Starts the job on the host; its output from the start.
    JobOutput startJob(const JobSpec& spec);
    // The job's output after the offset `after`.
    JobOutput jobOutput(const std::string& job, int64_t after);
    void cancelJob(const std::string& job);

private:
    std::string call(RequestKind kind, FilesRequest files, bool safeToRepeat = true);

    WorkspaceLink m_link;
};

}  // namespace strata::proto
