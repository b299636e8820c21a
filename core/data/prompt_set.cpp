#include "core/data/prompt_set.h"

#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/common/jsonl_objects.h"

#include <simdjson.h>

#include <fstream>

namespace strata::data {

using common::fail;

namespace {

std::vector<std::string> readPrompts(std::istream& in, const std::string& name, bool jsonl,
                                     bool allowEmpty) {
    std::vector<std::string> prompts;
    if (jsonl) {
        common::forEachJsonlObject(in, name, [&](simdjson::dom::object fields, size_t line) {
            std::string_view prompt;
            if (fields["prompt"].get(prompt)) fail("{}:{}: needs a \"prompt\" string", name, line);
            if (prompt.empty() && !allowEmpty) fail("{}:{}: the prompt is empty", name, line);
            prompts.emplace_back(prompt);
        });
    } else {
        std::string line;
        while (std::getline(in, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.find_first_not_of(" \t") != std::string::npos) prompts.push_back(line);
        }
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

std::string promptLine(const std::string& prompt) {
    return common::JsonWriter().beginObject().field("prompt", prompt).endObject().take() + "\n";
}

}  // namespace strata::data
