// A workspace's files and jobs as the worker protocol carries them (docs/protocol.md): the
// replies of files_list, files_read, clean_preview and job_output, written by the worker
// (WorkspaceService) and read by the client (RemoteWorkspaceFiles).
#pragma once

#include "core/cleaning/clean_preview.h"
#include "core/proto/workspace_jobs.h"
#include "core/store/workspace_files.h"

#include <string>
#include <string_view>
#include <vector>

namespace strata::proto {

// {"entries": [{"name", "folder", "size", "modified_ns"}, ...]}.
std::string folderEntriesJson(const std::vector<store::FolderEntry>& entries);
std::vector<store::FolderEntry> decodeFolderEntries(std::string_view json);

// {"text": ...}: a file's bytes, which must be UTF-8 (the reply is JSON text).
std::string fileTextJson(std::string_view text);
std::string decodeFileText(std::string_view json);

// {"documents": [{"source", "line", "before", "after", "reason"}, ...]}.
std::string previewJson(const std::vector<cleaning::PreviewDocument>& documents);
std::vector<cleaning::PreviewDocument> decodePreview(std::string_view json);

// {"job", "kind", "state", "lines": [...], "next"}.
std::string jobOutputJson(const JobOutput& output);
JobOutput decodeJobOutput(std::string_view json);

}  // namespace strata::proto
