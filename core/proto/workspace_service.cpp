#include "core/proto/workspace_service.h"

#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/common/utf8.h"
#include "core/proto/workspace_messages.h"

namespace strata::proto {

WorkspaceService::WorkspaceService(const std::filesystem::path& workspace,
                                   const std::filesystem::path& cli)
    : m_files(workspace, /*confined=*/true), m_jobs(m_files.address(), cli) {}

std::string WorkspaceService::answer(const Request& request) {
    const FilesRequest& files = request.files;
    switch (request.kind) {
        case RequestKind::FilesList:
            return folderEntriesJson(m_files.list(files.path));
        case RequestKind::FilesRead: {
            std::string text = m_files.read(files.path, size_t(files.limit));
            if (common::findInvalidUtf8(text) != std::string::npos)
                common::fail("{} is not UTF-8 text, which is all files_read carries", files.path);
            return fileTextJson(text);
        }
        case RequestKind::FilesWrite:
            m_files.write(files.path, files.text, files.replace);
            return common::JsonWriter()
                .beginObject()
                .field("path", m_files.resolve(files.path).string())
                .field("size", int64_t(files.text.size()))
                .endObject()
                .take();
        case RequestKind::CleanPreview:
            return previewJson(m_files.previewCleaning(files.config, files.sources));
        case RequestKind::JobStart: {
            JobSpec spec = request.job.spec;
            for (std::string& input : spec.inputs)
                input = m_files.resolve(input).string();
            spec.output = m_files.resolve(spec.output).string();
            if (!spec.config.empty()) spec.config = m_files.resolve(spec.config).string();
            return jobOutputJson(m_jobs.output(m_jobs.start(spec), 0));
        }
        case RequestKind::JobOutput:
            return jobOutputJson(m_jobs.output(request.job.job, request.job.after));
        case RequestKind::JobCancel:
            m_jobs.cancel(request.job.job);
            return jobOutputJson(m_jobs.output(request.job.job, 0));
        default:
            common::fail("{} is not a request about the workspace's files",
                         requestName(request.kind));
    }
}

}  // namespace strata::proto
