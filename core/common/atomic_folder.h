// An output folder that appears under its final name only when complete: files go into a staging
// folder beside it (each written through AtomicFile, so each is fsync'd), commit() fsyncs the
// staging folder, renames it over the target and fsyncs the parent; anything short of commit()
// removes the staging folder. Checkpoints, shard sets and exported models are written this way,
// so a folder under its final name is always whole.
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
    std::filesystem::path m_target;
    std::filesystem::path m_staging;
    bool m_committed = false;
};

// fsync of a folder, so renames and new entries in it are durable; errors are ignored (some
// filesystems refuse to sync folders and have nothing to sync).
void syncFolder(const std::filesystem::path& folder);

}  // namespace strata::common
