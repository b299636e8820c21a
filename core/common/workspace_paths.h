// Where a workspace is and where its parts live: the default (the sample workspace under the
// user's data folder, $XDG_DATA_HOME/strata/sample-workspace) that `strata-cli demo` fills and the
// studio opens first, and the run history file in it. Both executables use these.
#pragma once

#include <filesystem>

namespace strata::common {

std::filesystem::path defaultWorkspace();
// WORKSPACE/strata.db
std::filesystem::path historyFile(const std::filesystem::path& workspace);

}  // namespace strata::common
