// llama.cpp's tokenizer test files (ggml-vocab-NAME.gguf.inp and .out, shipped with its
// vocabularies): the strings, separated by a line "__ggml_vocab_test__" with one after the last,
// and the ids llama.cpp gives each, one line of space-separated ids per string.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace strata::tokenizer::test {

inline std::vector<std::string> llamaCppStrings(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string separator = "\n__ggml_vocab_test__\n";
    std::vector<std::string> strings;
    size_t start = 0;
    for (size_t at = text.find(separator); at != std::string::npos;
         at = text.find(separator, start)) {
        strings.push_back(text.substr(start, at - start));
        start = at + separator.size();
    }
    return strings;
}

inline std::vector<std::vector<uint32_t>> llamaCppIds(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::vector<std::vector<uint32_t>> rows;
    for (std::string line; std::getline(in, line);) {
        std::istringstream ids(line);
        rows.emplace_back();
        for (uint32_t id; ids >> id;)
            rows.back().push_back(id);
    }
    return rows;
}

}  // namespace strata::tokenizer::test
