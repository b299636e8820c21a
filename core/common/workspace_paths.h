// Where a workspace is and where its parts live: the default (the sample workspace under the
// user's data folder, $XDG_DATA_HOME/strata/sample-workspace) that `strata-cli demo` fills and the
// studio opens first, the run history file in it, and how the history names paths inside it.
// Both executables use these.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace strata::common {

// $XDG_DATA_HOME/strata: what Strata keeps for this user on this machine.
std::filesystem::path dataFolder();
std::filesystem::path defaultWorkspace();
// WORKSPACE/strata.db
std::filesystem::path historyFile(const std::filesystem::path& workspace);
// WORKSPACE/models: imported model folders (models/<name>/model.toml), as `strata-cli demo init`
// imports the sample's real model and the studio's pickers list them.
std::filesystem::path modelsFolder(const std::filesystem::path& workspace);
// RUN_DIR/trainer.lock: the lock the trainer writing a run folder holds for its whole life
// (common::ProcessLock), so a second trainer, or a worker about to start one, finds it there.
std::filesystem::path trainerLockFile(const std::filesystem::path& runDir);
// How the run history names a data path: relative to the workspace when inside it (so the
// workspace can move), absolute otherwise.
std::string workspaceRelative(const std::filesystem::path& path,
                              const std::filesystem::path& workspace);
// Whether `name` can name a folder of the workspace (a dataset, a tokenizer, a run): letters,
// digits, '.', '_' and '-', and not only dots, which would name the folder above.
bool isPlainName(std::string_view name);

}  // namespace strata::common
