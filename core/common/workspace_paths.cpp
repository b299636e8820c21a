#include "core/common/workspace_paths.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace strata::common {

namespace fs = std::filesystem;

fs::path dataFolder() {
    const char* dataHome = std::getenv("XDG_DATA_HOME");
    const char* home = std::getenv("HOME");
    fs::path base =
        dataHome && *dataHome ? fs::path(dataHome) : fs::path(home ? home : ".") / ".local/share";
    return base / "strata";
}

fs::path defaultWorkspace() {
    return dataFolder() / "sample-workspace";
}

fs::path historyFile(const fs::path& workspace) {
    return workspace / "strata.db";
}

fs::path modelsFolder(const fs::path& workspace) {
    return workspace / "models";
}

fs::path trainerLockFile(const fs::path& runDir) {
    return runDir / "trainer.lock";
}

std::string workspaceRelative(const fs::path& path, const fs::path& workspace) {
    fs::path absolute = fs::absolute(path).lexically_normal();
    fs::path relative = absolute.lexically_relative(fs::absolute(workspace).lexically_normal());
    if (relative.empty() || *relative.begin() == "..") return absolute.string();
    return relative.string();
}

bool isPlainName(std::string_view name) {
    bool allowed = std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
    return allowed && name.find_first_not_of('.') != std::string_view::npos;
}

}  // namespace strata::common
