#include "core/common/workspace_paths.h"

#include <cstdlib>

namespace strata::common {

namespace fs = std::filesystem;

fs::path defaultWorkspace() {
    const char* dataHome = std::getenv("XDG_DATA_HOME");
    const char* home = std::getenv("HOME");
    fs::path base =
        dataHome && *dataHome ? fs::path(dataHome) : fs::path(home ? home : ".") / ".local/share";
    return base / "strata" / "sample-workspace";
}

fs::path historyFile(const fs::path& workspace) {
    return workspace / "strata.db";
}

std::string workspaceRelative(const fs::path& path, const fs::path& workspace) {
    fs::path absolute = fs::absolute(path).lexically_normal();
    fs::path relative = absolute.lexically_relative(fs::absolute(workspace).lexically_normal());
    if (relative.empty() || *relative.begin() == "..") return absolute.string();
    return relative.string();
}

}  // namespace strata::common
