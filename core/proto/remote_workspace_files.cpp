#include "core/proto/remote_workspace_files.h"

#include "core/proto/workspace_messages.h"

#include <filesystem>

namespace strata::proto {

std::string RemoteWorkspaceFiles::address() const {
    return remoteWorkspaceAddress(m_link.target());
}

std::string RemoteWorkspaceFiles::call(RequestKind kind, FilesRequest files, bool safeToRepeat) {
    Request request;
    request.kind = kind;
    request.files = std::move(files);
    return m_link.call(request, safeToRepeat);
}

std::vector<store::FolderEntry> RemoteWorkspaceFiles::list(const std::string& folder) {
    FilesRequest files;
    files.path = folder;
    return decodeFolderEntries(call(RequestKind::FilesList, files));
}

bool RemoteWorkspaceFiles::exists(const std::string& path) {
    const std::filesystem::path file(path);
    const std::string folder = file.has_parent_path() ? file.parent_path().string() : ".";
    for (const store::FolderEntry& entry : list(folder))
        if (entry.name == file.filename().string()) return true;
    return false;
}

std::string RemoteWorkspaceFiles::read(const std::string& path, size_t maxBytes) {
    FilesRequest files;
    files.path = path;
    files.limit = int64_t(std::min(maxBytes, store::kMaxWorkspaceFileBytes));
    return decodeFileText(call(RequestKind::FilesRead, files));
}

void RemoteWorkspaceFiles::write(const std::string& path, std::string_view bytes, bool replace) {
    FilesRequest files;
    files.path = path;
    files.text = std::string(bytes);
    files.replace = replace;
    // A write that may not replace would be refused the second time, though it had landed.
    call(RequestKind::FilesWrite, std::move(files), /*safeToRepeat=*/replace);
}

std::vector<cleaning::PreviewDocument> RemoteWorkspaceFiles::previewCleaning(
    const std::string& configText, const std::vector<std::string>& sources) {
    FilesRequest files;
    files.config = configText;
    files.sources = sources;
    return decodePreview(call(RequestKind::CleanPreview, files));
}

JobOutput RemoteWorkspaceFiles::startJob(const JobSpec& spec) {
    Request request;
    request.kind = RequestKind::JobStart;
    request.job.spec = spec;
    return decodeJobOutput(m_link.call(request, /*safeToRepeat=*/false));
}

JobOutput RemoteWorkspaceFiles::jobOutput(const std::string& job, int64_t after) {
    Request request;
    request.kind = RequestKind::JobOutput;
    request.job.job = job;
    request.job.after = after;
    return decodeJobOutput(m_link.call(request));
}

void RemoteWorkspaceFiles::cancelJob(const std::string& job) {
    Request request;
    request.kind = RequestKind::JobCancel;
    request.job.job = job;
    m_link.call(request);
}

}  // namespace strata::proto
