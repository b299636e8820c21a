// The files of a workspace as the Data, Tokenizer and Home pages read and write them, wherever
// the workspace is: LocalWorkspaceFiles works on a folder of this machine;
// proto::RemoteWorkspaceFiles asks the worker of a workspace on another host, over SSH, which
// serves it through a confined LocalWorkspaceFiles. A path is relative to the workspace or
// absolute. On this machine it may be any path of the user's (a corpus in Downloads); on a host,
// it must lie inside the workspace: one that leaves it (through "..", or a link out) is refused
// with a one-line common::Error. Reads and listings are bounded, so no file or folder can fill
// this side's memory.
#pragma once

#include "core/cleaning/clean_preview.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace strata::store {

// The most a read or a write moves: a Llama 3 tokenizer.json (9 MB) fits, with room for the JSON
// escaping that carries it through the worker protocol's 16 MiB lines.
inline constexpr size_t kMaxWorkspaceFileBytes = size_t(12) << 20;
// The most entries one listing gives; a folder holding more gives its first ones by name.
inline constexpr size_t kMaxFolderEntries = 10000;

struct FolderEntry {
    std::string name;
    bool folder = false;
    uint64_t size = 0;                // bytes; 0 for a folder
    int64_t modifiedNanoseconds = 0;  // the last write, since 1970; 0 when unknown
};

class WorkspaceFiles {
public:
    virtual ~WorkspaceFiles() = default;

    // The workspace as people read its address: a folder here, ssh://host/path there.
    virtual std::string address() const = 0;
    // A path of the workspace as the pages show and keep it: absolute here; there, as given.
    virtual std::string shownPath(const std::string& path) const = 0;
    // The entries of a folder, folders first, by name; none when it does not exist.
    virtual std::vector<FolderEntry> list(const std::string& folder) = 0;
    virtual bool exists(const std::string& path) = 0;
    // The file's bytes; throws common::Error when it is missing, unreadable or over `maxBytes`.
    virtual std::string read(const std::string& path, size_t maxBytes = kMaxWorkspaceFileBytes) = 0;
    // Writes the file whole (a reader sees the old bytes or the new, never a part), making its
    // folders; with `replace` false an existing file is refused.
    virtual void write(const std::string& path, std::string_view bytes, bool replace = true) = 0;
    // What the cleaning settings (clean config TOML) do to documents sampled from `sources`
    // (cleaning::previewCleaning), read where the sources are.
    virtual std::vector<cleaning::PreviewDocument> previewCleaning(
        const std::string& configText, const std::vector<std::string>& sources) = 0;
    virtual bool isLocal() const = 0;
};

class LocalWorkspaceFiles : public WorkspaceFiles {
public:
    // `confined`: every path must lie inside the workspace (the worker serving a remote client).
    explicit LocalWorkspaceFiles(std::filesystem::path workspace, bool confined = false);

    std::string address() const override { return m_workspace.string(); }
    std::string shownPath(const std::string& path) const override;
    std::vector<FolderEntry> list(const std::string& folder) override;
    bool exists(const std::string& path) override;
    std::string read(const std::string& path, size_t maxBytes = kMaxWorkspaceFileBytes) override;
    void write(const std::string& path, std::string_view bytes, bool replace = true) override;
    std::vector<cleaning::PreviewDocument> previewCleaning(
        const std::string& configText, const std::vector<std::string>& sources) override;
    bool isLocal() const override { return true; }

    // `path` made absolute (relative paths are the workspace's); confined, checked to lie
    // inside the workspace.
    std::filesystem::path resolve(const std::string& path) const;

private:
    std::filesystem::path m_workspace;  // canonical
    bool m_confined;
};

}  // namespace strata::store
