#include "core/store/workspace_files.h"

#include "core/cleaning/clean_config.h"
#include "core/common/atomic_file.h"
#include "core/common/config_reader.h"
#include "core/common/error.h"

#include <algorithm>
#include <chrono>
#include <fstream>

namespace strata::store {

namespace fs = std::filesystem;

namespace {

int64_t unixNanoseconds(fs::file_time_type time) {
    auto system = fs::file_time_type::clock::to_sys(time);
    return std::chrono::duration_cast<std::chrono::nanoseconds>(system.time_since_epoch()).count();
}

}  // namespace

LocalWorkspaceFiles::LocalWorkspaceFiles(fs::path workspace, bool confined)
    : m_workspace(fs::weakly_canonical(workspace)), m_confined(confined) {}

fs::path LocalWorkspaceFiles::resolve(const std::string& path) const {
    if (path.empty()) common::fail("an empty path names no file of the workspace");
    fs::path resolved = fs::weakly_canonical(m_workspace / path);
    if (!m_confined) return resolved;
    auto [rootEnd, candidate] =
        std::mismatch(m_workspace.begin(), m_workspace.end(), resolved.begin(), resolved.end());
    if (rootEnd != m_workspace.end())
        common::fail("{} is outside the workspace {}", path, m_workspace.string());
    return resolved;
}

std::string LocalWorkspaceFiles::shownPath(const std::string& path) const {
    return (m_workspace / path).lexically_normal().string();
}

std::vector<FolderEntry> LocalWorkspaceFiles::list(const std::string& folder) {
    const fs::path where = resolve(folder);
    auto before = [](const FolderEntry& a, const FolderEntry& b) {
        return a.folder != b.folder ? a.folder : a.name < b.name;
    };
    // A heap of the first kMaxFolderEntries so far, the last of them on top: a folder of a
    // million files costs no more memory than one of ten thousand.
    std::vector<FolderEntry> entries;
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(where, error)) {
        FolderEntry found;
        found.name = entry.path().filename().string();
        found.folder = entry.is_directory(error);
        if (!found.folder) found.size = entry.file_size(error);
        if (error) found.size = 0;
        found.modifiedNanoseconds = unixNanoseconds(entry.last_write_time(error));
        if (error) found.modifiedNanoseconds = 0;
        entries.push_back(std::move(found));
        std::push_heap(entries.begin(), entries.end(), before);
        if (entries.size() > kMaxFolderEntries) {
            std::pop_heap(entries.begin(), entries.end(), before);
            entries.pop_back();
        }
    }
    std::sort_heap(entries.begin(), entries.end(), before);
    return entries;
}

bool LocalWorkspaceFiles::exists(const std::string& path) {
    std::error_code error;
    return fs::exists(resolve(path), error);
}

std::string LocalWorkspaceFiles::read(const std::string& path, size_t maxBytes) {
    const fs::path file = resolve(path);
    std::error_code error;
    const uintmax_t size = fs::file_size(file, error);
    if (error) common::fail("cannot read {}: {}", file.string(), error.message());
    if (size > maxBytes)
        common::fail("{} is {} bytes, over the {} a read may take", file.string(), size, maxBytes);
    std::ifstream in(file, std::ios::binary);
    std::string bytes(size, '\0');
    if (!in.read(bytes.data(), std::streamsize(size)))
        common::fail("cannot read {}: it changed or vanished while read", file.string());
    return bytes;
}

void LocalWorkspaceFiles::write(const std::string& path, std::string_view bytes, bool replace) {
    const fs::path file = resolve(path);
    if (bytes.size() > kMaxWorkspaceFileBytes)
        common::fail("{}: {} bytes are over the {} a write may take", file.string(), bytes.size(),
                     kMaxWorkspaceFileBytes);
    if (!replace && fs::exists(file)) common::fail("{} exists already", file.string());
    std::error_code error;
    fs::create_directories(file.parent_path(), error);
    if (error) common::fail("cannot make {}: {}", file.parent_path().string(), error.message());
    common::AtomicFile out(file);
    out.write(bytes);
    out.commit();
}

std::vector<cleaning::PreviewDocument> LocalWorkspaceFiles::previewCleaning(
    const std::string& configText, const std::vector<std::string>& sources) {
    common::ConfigReader reader =
        common::ConfigReader::fromString(configText, "the cleaning settings");
    cleaning::CleanConfig config = cleaning::readCleanConfig(reader);
    std::vector<fs::path> inputs;
    for (const std::string& source : sources)
        inputs.push_back(resolve(source));
    return cleaning::previewCleaning(config, inputs);
}

}  // namespace strata::store
