// The workspace a command works in: --workspace DIR, or the default one
// (core/common/workspace_paths.h).
#pragma once

#include "app/cli/arg_parser.h"

#include <filesystem>

namespace strata::app {

std::filesystem::path workspaceOf(const ParsedArgs& parsed);

}  // namespace strata::app
