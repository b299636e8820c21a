// An output folder that appears under its final name only when complete: files go into a staging
// folder beside it (NAME.tmp-PID), commit() fsyncs every file and folder in it, puts it in place
// of the target in one atomic step (renameat2's exchange; the old folder is then removed) and
// fsyncs the parent; anything short of commit() removes the staging folder. Checkpoints, shard
// sets and exported models are written this way, so a folder under its final name is always
// whole.
//
// A process killed mid-write leaves its staging folder behind, and on a filesystem without the
// atomic exchange a crash between the two renames of a replacement leaves the old folder as
// NAME.old-PID with no NAME: recoverStagingFolders() tidies both up.
#pragma once

#include <filesystem>

namespace strata::common {

class AtomicFolder {
public:
    // Creates the staging folder (and the target's parents); throws Error naming `target`.
    explicit AtomicFolder(std::filesystem::path target);
    ~AtomicFolder();
    AtomicFolder(const AtomicFolder&) = delete;
    AtomicFolder& operator=(const AtomicFolder&) = delete;

    // Where to write the files until commit().
    const std::filesystem::path& staging() const { return m_staging; }
    const std::filesystem::path& target() const { return m_target; }

    // Replaces any existing target; the old one is kept until the new one is in place.
    void commit();

private:
    // Returns where the old target went.
    std::filesystem::path replaceInTwoRenames();

    std::filesystem::path m_target;
    std::filesystem::path m_staging;
    bool m_committed = false;
};

// In `parent`, the leftovers of AtomicFolders whose process is gone: a staging folder
// (NAME.tmp-PID) is removed; an old folder (NAME.old-PID) is put back as NAME when NAME is
// missing (its replacement was cut between its renames) and removed otherwise. Folders of live
// processes are left alone.
void recoverStagingFolders(const std::filesystem::path& parent);

// fsync of a folder, so renames and new entries in it are durable; errors are ignored (some
// filesystems refuse to sync folders and have nothing to sync).
void syncFolder(const std::filesystem::path& folder);

}  // namespace strata::common
