#include "core/data/task_set.h"

#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/common/jsonl_objects.h"
#include "core/common/jsonl_writer.h"

namespace strata::data {

using common::fail;

std::vector<TaskExample> readTaskSet(const std::filesystem::path& path) {
    const std::string file = path.string();
    std::vector<TaskExample> tasks;
    common::forEachJsonlObject(path, [&](simdjson::dom::object fields, size_t line) {
        TaskExample task;
        auto text = [&](const char* key, std::string& out) {
            std::string_view value;
            auto error = fields[key].get(value);
            if (error == simdjson::NO_SUCH_FIELD) return;
            if (error) fail("{}:{}: \"{}\" must be a string", file, line, key);
            out = std::string(value);
        };
        if (fields["prompt"].error() == simdjson::NO_SUCH_FIELD)
            fail("{}:{}: needs a \"prompt\" string", file, line);
        text("prompt", task.prompt);
        text("answer", task.answer);
        text("task", task.task);
        if (task.prompt.empty()) fail("{}:{}: the prompt is empty", file, line);
        tasks.push_back(std::move(task));
    });
    if (tasks.empty()) fail("{}: holds no prompt", file);
    return tasks;
}

void writeTaskSet(const std::filesystem::path& path, const std::vector<TaskExample>& tasks) {
    common::JsonlWriter out(path);
    for (const TaskExample& task : tasks)
        out.writeLine(common::JsonWriter()
                          .beginObject()
                          .field("prompt", task.prompt)
                          .field("answer", task.answer)
                          .field("task", task.task)
                          .endObject()
                          .str());
    out.commit();
}

}  // namespace strata::data
