// Writes a test's input file whole, making its folders: the tests that set up a workspace's
// files on disk.
#pragma once

#include <filesystem>
#include <fstream>
#include <string_view>

inline void writeFile(const std::filesystem::path& path, std::string_view bytes) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}
