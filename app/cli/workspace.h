// The workspace a command works in: --workspace DIR, or the default one
// (core/common/workspace_paths.h).
#pragma once

#include "core/cli/arg_parser.h"

#include <filesystem>

namespace strata::app {

std::filesystem::path workspaceOf(const cli::ParsedArgs& parsed);

}  // namespace strata::app
