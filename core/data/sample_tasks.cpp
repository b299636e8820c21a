#include "core/data/sample_tasks.h"

#include "core/common/json_writer.h"
#include "core/common/jsonl_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <random>
#include <unordered_set>

namespace strata::data {

namespace {

using Random = std::mt19937_64;

int uniform(Random& random, int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(random);
}

std::string spaced(const std::vector<std::string>& items) {
    std::string text;
    for (const std::string& item : items)
        text += (text.empty() ? "" : " ") + item;
    return text;
}

std::vector<std::string> digits(Random& random, int count) {
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i)
        out.push_back(std::to_string(uniform(random, 0, 9)));
    return out;
}

TaskExample addition(Random& random) {
    int a = uniform(random, 0, 49), b = uniform(random, 0, 49);
    return {fmt::format("What is {} + {}?", a, b), std::to_string(a + b), "add"};
}

TaskExample largest(Random& random) {
    std::vector<std::string> items = digits(random, 4);
    return {"Largest: " + spaced(items), *std::max_element(items.begin(), items.end()), "max"};
}

TaskExample sorting(Random& random) {
    std::vector<std::string> items = digits(random, uniform(random, 3, 4));
    std::string prompt = "Sort: " + spaced(items);
    std::sort(items.begin(), items.end());
    return {prompt, spaced(items), "sort"};
}

TaskExample reversal(Random& random) {
    std::vector<std::string> letters;
    int count = uniform(random, 3, 4);
    for (int i = 0; i < count; ++i)
        letters.push_back(std::string(1, char('a' + uniform(random, 0, 25))));
    std::string prompt = "Reverse: " + spaced(letters);
    std::reverse(letters.begin(), letters.end());
    return {prompt, spaced(letters), "reverse"};
}

// The kinds, in the order examples cycle through them; a new kind is one more entry.
const std::vector<std::function<TaskExample(Random&)>>& taskKinds() {
    static const std::vector<std::function<TaskExample(Random&)>> kinds = {addition, largest,
                                                                           sorting, reversal};
    return kinds;
}

}  // namespace

SampleTaskSplit makeSampleTasks(size_t trainCount, size_t testCount, uint64_t seed) {
    Random random(seed);
    std::unordered_set<std::string> seen;
    auto draw = [&](size_t count) {
        std::vector<TaskExample> out;
        for (size_t attempts = 0; out.size() < count && attempts < 100 * count + 100; ++attempts) {
            TaskExample example = taskKinds()[out.size() % taskKinds().size()](random);
            if (seen.insert(example.prompt).second) out.push_back(std::move(example));
        }
        return out;
    };
    SampleTaskSplit split;
    split.test = draw(testCount);
    split.train = draw(trainCount);
    return split;
}

SampleTaskFiles writeSampleTaskFiles(const std::filesystem::path& folder, size_t demonstrations,
                                     size_t prompts, size_t testCount, uint64_t seed) {
    SampleTaskSplit split = makeSampleTasks(demonstrations + prompts, testCount, seed);
    SampleTaskFiles files{folder / "sft.jsonl", folder / "tasks.jsonl", folder / "test.jsonl"};
    std::filesystem::create_directories(folder);
    auto solved =
        split.train.begin() + std::ptrdiff_t(std::min(demonstrations, split.train.size()));
    common::JsonlWriter sft(files.sft);
    for (auto task = split.train.begin(); task != solved; ++task)
        sft.writeLine(common::JsonWriter()
                          .beginObject()
                          .field("prompt", task->prompt)
                          .field("completion", task->answer)
                          .endObject()
                          .str());
    sft.commit();
    writeTaskSet(files.tasks, {solved, split.train.end()});
    writeTaskSet(files.test, split.test);
    return files;
}

}  // namespace strata::data
