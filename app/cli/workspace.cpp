#include "app/cli/workspace.h"

#include "core/common/workspace_paths.h"

namespace strata::app {

std::filesystem::path workspaceOf(const ParsedArgs& parsed) {
    return parsed.has("workspace") ? std::filesystem::path(parsed.value("workspace"))
                                   : common::defaultWorkspace();
}

}  // namespace strata::app
