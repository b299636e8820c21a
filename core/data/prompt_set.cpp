#include "core/data/prompt_set.h"

#include "core/common/error.h"

#include <simdjson.h>

#include <fstream>

namespace strata::data {

using common::fail;

namespace {

std::vector<std::string> readPrompts(std::istream& in, const std::string& name, bool jsonl,
                                     bool allowEmpty) {
    simdjson::dom::parser parser;
    std::vector<std::string> prompts;
    std::string line;
    for (size_t number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        if (!jsonl) {
            prompts.push_back(line);
            continue;
        }
        simdjson::dom::object fields;
        if (parser.parse(simdjson::padded_string(line)).get(fields))
            fail("{}:{}: not a JSON object", name, number);
        std::string_view prompt;
        if (fields["prompt"].get(prompt)) fail("{}:{}: needs a \"prompt\" string", name, number);
        if (prompt.empty() && !allowEmpty) fail("{}:{}: the prompt is empty", name, number);
        prompts.emplace_back(prompt);
    }
    if (prompts.empty()) fail("{}: holds no prompt", name);
    return prompts;
}

}  // namespace

std::vector<std::string> readPromptSet(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("{}: cannot be read", path.string());
    return readPrompts(in, path.string(), path.extension() == ".jsonl", false);
}

std::vector<std::string> readPromptLines(std::istream& in, const std::string& name) {
    return readPrompts(in, name, true, true);
}

}  // namespace strata::data
