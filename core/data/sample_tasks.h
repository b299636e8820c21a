// The sample suite of verifiable tasks the sample alignment pipeline (`strata-cli demo align`)
// trains and measures on. Each kind is a small problem with one exact answer:
//   add      "What is 17 + 8?"        -> "25"         two numbers below 50
//   max      "Largest: 3 9 4 1"       -> "9"          four digits
//   sort     "Sort: 7 2 9"            -> "2 7 9"      three to four digits
//   reverse  "Reverse: k q m"         -> "m q k"      three to four letters
// Letters and digits are spaced so that each is a token of its own under a byte-level BPE.
// The split is seeded and the test prompts never occur among the training prompts.
#pragma once

#include "core/data/task_set.h"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace strata::data {

struct SampleTaskSplit {
    std::vector<TaskExample> train;
    std::vector<TaskExample> test;
};

// `trainCount` and `testCount` examples, the kinds in turn, all prompts distinct.
SampleTaskSplit makeSampleTasks(size_t trainCount, size_t testCount, uint64_t seed);

// The files of the sample alignment pipeline in `folder`, written atomically:
//   sft.jsonl    the first `demonstrations` training tasks, solved: SFT's {"prompt", "completion"}
//   tasks.jsonl  the other training tasks: the prompts of GRPO and PPO, with their answers
//   test.jsonl   the `testCount` held-out tasks exact match is measured on
struct SampleTaskFiles {
    std::filesystem::path sft;
    std::filesystem::path tasks;
    std::filesystem::path test;
};

SampleTaskFiles writeSampleTaskFiles(const std::filesystem::path& folder, size_t demonstrations,
                                     size_t prompts, size_t testCount, uint64_t seed);

}  // namespace strata::data
