#include "app/cli/workspace.h"

#include <cstdlib>

namespace strata::app {

namespace fs = std::filesystem;

fs::path defaultWorkspace() {
    const char* dataHome = std::getenv("XDG_DATA_HOME");
    const char* home = std::getenv("HOME");
    fs::path base =
        dataHome && *dataHome ? fs::path(dataHome) : fs::path(home ? home : ".") / ".local/share";
    return base / "strata" / "sample-workspace";
}

fs::path workspaceOf(const cli::ParsedArgs& parsed) {
    return parsed.has("workspace") ? fs::path(parsed.value("workspace")) : defaultWorkspace();
}

}  // namespace strata::app
