// Prompts with checkable answers, for PPO and GRPO and for measuring exact match: JSONL of
// {"prompt": "...", "answer": "...", "task": "..."}. "answer" is the reference the correctness
// reward compares against (a prompt without one earns no correctness reward); "task" names the
// kind of problem for per-task reports and is optional. Errors name the file and line.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace strata::data {

struct TaskExample {
    std::string prompt;
    std::string answer;  // empty: no reference answer
    std::string task;
};

std::vector<TaskExample> readTaskSet(const std::filesystem::path& path);
// Writes the set atomically.
void writeTaskSet(const std::filesystem::path& path, const std::vector<TaskExample>& tasks);

}  // namespace strata::data
