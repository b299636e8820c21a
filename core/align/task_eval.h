// Exact match of a model on a task set, overall and per kind of task: what `strata-cli eval`
// prints and `strata-cli demo align` reports after each stage. The answers are greedy, through
// the chat template, like the validation of PPO and GRPO.
#pragma once

#include "core/data/task_set.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace strata::align {

struct MatchCount {
    size_t matched = 0;
    size_t total = 0;
    double share() const { return total ? double(matched) / double(total) : 0.0; }
};

// " 42.5% (17/40)", as `strata-cli eval` and `demo align` print a count.
std::string matchCountText(const MatchCount& count);

struct TaskEvaluation {
    MatchCount overall;
    std::map<std::string, MatchCount> byTask;  // keyed by TaskExample::task ("" when unnamed)
    std::vector<std::string> answers;          // the model's answer to each task, in order
};

// Loads the model folder (or checkpoint) and answers each task. Throws common::Error when the
// folder's tokenizer lacks the chat template's role tokens, or naming `source` (the tasks' file)
// when a prompt leaves no room for maxNewTokens in the model's context.
TaskEvaluation evaluateTasks(const std::filesystem::path& modelFolder,
                             const std::vector<data::TaskExample>& tasks,
                             const std::filesystem::path& source, int maxNewTokens, int batchSize);

}  // namespace strata::align
