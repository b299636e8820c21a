#include "core/data/sft_examples.h"

#include "core/common/error.h"
#include "core/common/jsonl_objects.h"

namespace strata::data {

using common::fail;

namespace {

std::optional<tokenizer::Role> parseRole(std::string_view name) {
    for (tokenizer::Role role :
         {tokenizer::Role::System, tokenizer::Role::User, tokenizer::Role::Assistant})
        if (name == tokenizer::roleName(role)) return role;
    return std::nullopt;
}

}  // namespace

std::vector<SftExample> readSftExamples(const std::filesystem::path& path) {
    const std::string file = path.string();
    std::vector<SftExample> examples;
    common::forEachJsonlObject(path, [&](simdjson::dom::object fields, size_t line) {
        SftExample example;
        auto text = [&](const char* key, bool required) -> std::string {
            std::string_view value;
            auto error = fields[key].get(value);
            if (error == simdjson::NO_SUCH_FIELD && !required) return {};
            if (error) fail("{}:{}: \"{}\" must be a string", file, line, key);
            return std::string(value);
        };
        simdjson::dom::array messages;
        if (!fields["messages"].get(messages)) {
            size_t index = 0;
            for (simdjson::dom::element item : messages) {
                std::string_view role, content;
                if (item["role"].get(role) || item["content"].get(content))
                    fail("{}:{}: messages[{}] needs \"role\" and \"content\" strings", file, line,
                         index);
                std::optional<tokenizer::Role> parsed = parseRole(role);
                if (!parsed)
                    fail("{}:{}: messages[{}].role is \"{}\"; expected system, user or assistant",
                         file, line, index, role);
                example.conversation.push_back({*parsed, std::string(content)});
                ++index;
            }
        } else if (fields["prompt"].error() != simdjson::NO_SUCH_FIELD) {
            example.conversation = {{tokenizer::Role::User, text("prompt", true)},
                                    {tokenizer::Role::Assistant, text("completion", true)}};
        } else if (fields["instruction"].error() != simdjson::NO_SUCH_FIELD) {
            std::string user = text("instruction", true), input = text("input", false);
            if (!input.empty()) user += "\n\n" + input;
            example.conversation = {{tokenizer::Role::User, user},
                                    {tokenizer::Role::Assistant, text("output", true)}};
        } else {
            fail(
                "{}:{}: expected \"messages\", \"prompt\" and \"completion\", or \"instruction\" "
                "and \"output\"",
                file, line);
        }
        bool hasAssistant = false;
        for (size_t i = 0; i < example.conversation.size(); ++i) {
            const tokenizer::ChatMessage& message = example.conversation[i];
            if (message.role != tokenizer::Role::Assistant) continue;
            hasAssistant = true;
            if (message.content.find_first_not_of(" \t\r\n") == std::string::npos)
                fail("{}:{}: messages[{}] is an empty assistant turn", file, line, i);
        }
        if (!hasAssistant) fail("{}:{}: the conversation has no assistant turn", file, line);
        if (fields["difficulty"].error() != simdjson::NO_SUCH_FIELD) {
            double difficulty;
            if (fields["difficulty"].get(difficulty))
                fail("{}:{}: \"difficulty\" must be a number", file, line);
            example.difficulty = difficulty;
        }
        examples.push_back(std::move(example));
    });
    if (examples.empty()) fail("{}: holds no conversation", file);
    return examples;
}

}  // namespace strata::data
