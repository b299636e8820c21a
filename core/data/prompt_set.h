// A prompt set: the prompts a model is asked to continue when the studio generates preference
// pairs or `strata-cli generate --prompts` runs over many prompts. Two forms:
//   .jsonl  one JSON object a line with a "prompt" string (other fields are ignored, so TRL
//           preference files and prompt-completion SFT files serve as they are)
//   other   plain text, one prompt a line (blank lines skipped)
#pragma once

#include <filesystem>
#include <istream>
#include <string>
#include <vector>

namespace strata::data {

// Throws common::Error naming the file and line when a line is not a JSON object with a
// non-empty "prompt" string, or the file holds no prompt.
std::vector<std::string> readPromptSet(const std::filesystem::path& path);

// The JSONL form read from a stream; `name` is what errors call it ("stdin"). An empty prompt is
// kept here (a program asking for text from nothing), where a file's is an error.
std::vector<std::string> readPromptLines(std::istream& in, const std::string& name);

// One prompt in that form, with its newline: what the worker writes to `strata-cli generate
// --prompts -`.
std::string promptLine(const std::string& prompt);

}  // namespace strata::data
