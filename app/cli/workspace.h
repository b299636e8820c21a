// The workspace a command works in: --workspace DIR, or the sample workspace under the user's
// data folder ($XDG_DATA_HOME/strata/sample-workspace) that `strata-cli demo` fills.
#pragma once

#include "core/cli/arg_parser.h"

#include <filesystem>

namespace strata::app {

std::filesystem::path defaultWorkspace();
std::filesystem::path workspaceOf(const cli::ParsedArgs& parsed);

}  // namespace strata::app
