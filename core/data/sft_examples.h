// Supervised fine-tuning data: a JSONL file with one conversation a line, in any of three forms
// (docs/formats.md):
//   {"messages": [{"role": "system"|"user"|"assistant", "content": "..."}, ...]}
//   {"prompt": "...", "completion": "..."}                 a user turn and the assistant's answer
//   {"instruction": "...", "input": "...", "output": "..."}   input optional, joined below the
//                                                          instruction by a blank line
// and an optional numeric "difficulty" for curriculum ordering. Malformed conversations are
// errors naming the file and line, never skipped: an unknown role, an empty assistant turn, a
// conversation without an assistant turn, a line of none of the three forms.
#pragma once

#include "core/tokenizer/chat_template.h"

#include <filesystem>
#include <optional>
#include <vector>

namespace strata::data {

struct SftExample {
    tokenizer::Conversation conversation;
    std::optional<double> difficulty;
};

std::vector<SftExample> readSftExamples(const std::filesystem::path& path);

}  // namespace strata::data
