// `strata-cli eval --checkpoint DIR --tasks FILE`: greedy exact match of a model on a task set,
// overall and per kind of task, with --show N of its answers beside the references.
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "core/align/task_eval.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/data/rule_rewards.h"

#include <fmt/format.h>
#include <torch/torch.h>

namespace strata::app {

using common::fail;

namespace {

void writeCount(common::JsonWriter& json, const align::MatchCount& count) {
    json.beginObject()
        .field("exact_match", count.share())
        .field("matched", uint64_t(count.matched))
        .field("tasks", uint64_t(count.total))
        .endObject();
}

}  // namespace

int runEval(const Args& args) {
    ArgParser parser(
        "strata-cli eval", "--checkpoint DIR --tasks FILE [OPTIONS]",
        "Answers each task of a task set (JSONL of {\"prompt\", \"answer\", \"task\"}) greedily\n"
        "through the chat template and prints the share of answers that match the reference\n"
        "exactly, overall and per task.");
    parser.option("checkpoint", 'c', "DIR", "a checkpoint or model folder")
        .option("tasks", 0, "FILE", "the task set")
        .option("max-new-tokens", 'n', "N", "the longest answer in tokens (default 32)")
        .option("batch", 'b', "N", "tasks answered together (default 32)")
        .option("limit", 0, "N", "answer only the first N tasks of the set (default: all)")
        .option("show", 0, "N", "also print the first N answers beside their references")
        .option("threads", 0, "N", "CPU threads for the model; 0 = all cores (default 0)")
        .flag("json", 0,
              "print one JSON object: {\"exact_match\", \"matched\", \"tasks\", \"by_task\": "
              "{TASK: {...}}, \"answers\": [the --show answers]}");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    if (!parsed->has("checkpoint")) fail("--checkpoint DIR is required");
    if (!parsed->has("tasks")) fail("--tasks FILE is required");
    int64_t maxNewTokens = parsed->intValue("max-new-tokens", 32);
    int64_t batch = parsed->intValue("batch", 32);
    int64_t limit = parsed->intValue("limit", 0);
    int64_t show = parsed->intValue("show", 0);
    int64_t threads = parsed->intValue("threads", 0);
    if (maxNewTokens < 1 || maxNewTokens > 1 << 20)
        fail("--max-new-tokens must be between 1 and {}, not {}", 1 << 20, maxNewTokens);
    if (batch < 1 || batch > 1 << 16)
        fail("--batch must be between 1 and {}, not {}", 1 << 16, batch);
    if (limit < 0) fail("--limit must not be negative, not {}", limit);
    if (show < 0) fail("--show must not be negative, not {}", show);
    if (threads < 0) fail("--threads must not be negative, not {}", threads);
    if (threads > 0) at::set_num_threads(int(threads));

    std::vector<data::TaskExample> tasks = data::readTaskSet(parsed->value("tasks"));
    if (limit > 0 && size_t(limit) < tasks.size()) tasks.resize(size_t(limit));
    align::TaskEvaluation evaluation = align::evaluateTasks(
        parsed->value("checkpoint"), tasks, parsed->value("tasks"), int(maxNewTokens), int(batch));

    const size_t shown = std::min(tasks.size(), size_t(show));
    if (parsed->flag("json")) {
        common::JsonWriter json;
        json.beginObject()
            .field("exact_match", evaluation.overall.share())
            .field("matched", uint64_t(evaluation.overall.matched))
            .field("tasks", uint64_t(evaluation.overall.total))
            .key("by_task")
            .beginObject();
        for (const auto& [task, count] : evaluation.byTask) {
            json.key(task);
            writeCount(json, count);
        }
        json.endObject().key("answers").beginArray();
        for (size_t i = 0; i < shown; ++i)
            json.beginObject()
                .field("prompt", tasks[i].prompt)
                .field("answer", evaluation.answers[i])
                .field("reference", tasks[i].answer)
                .endObject();
        fmt::print("{}\n", json.endArray().endObject().take());
        return 0;
    }
    for (size_t i = 0; i < shown; ++i)
        fmt::print("{} {}  ->  {}  (reference {})\n",
                   data::matchesAnswer(evaluation.answers[i], tasks[i].answer) ? "ok  " : "miss",
                   tasks[i].prompt, evaluation.answers[i], tasks[i].answer);
    fmt::print("exact match: {}\n", align::matchCountText(evaluation.overall));
    if (evaluation.byTask.size() > 1)
        for (const auto& [task, count] : evaluation.byTask)
            fmt::print("  {:<10} {}\n", task.empty() ? "(unnamed)" : task,
                       align::matchCountText(count));
    return 0;
}

}  // namespace strata::app
