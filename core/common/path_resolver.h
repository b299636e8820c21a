// How a config's paths become the paths a program uses. A config file's relative paths are
// relative to its folder (pathsRelativeTo); a worker's run keeps every path inside its workspace.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace strata::common {

// Turns a path as a config spells it (never empty) into the path to use, or throws Error naming
// `key`.
using PathResolver =
    std::function<std::filesystem::path(const std::string& text, const std::string& key)>;

// Absolute paths as they are, relative ones against `baseDir`.
inline PathResolver pathsRelativeTo(std::filesystem::path baseDir) {
    return [baseDir = std::move(baseDir)](const std::string& text, const std::string&) {
        std::filesystem::path path(text);
        return (path.is_absolute() ? path : baseDir / path).lexically_normal();
    };
}

}  // namespace strata::common
