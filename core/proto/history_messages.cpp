#include "core/proto/history_messages.h"

#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/proto/json_fields.h"

#include <simdjson.h>

#include <array>
#include <cmath>
#include <limits>
#include <utility>

namespace strata::proto {

using common::JsonWriter;
using simdjson::dom::element;

namespace {

constexpr std::array<std::pair<store::RunSortKey, const char*>, 7> kSortKeyNames{{
    {store::RunSortKey::Created, "created"},
    {store::RunSortKey::Name, "name"},
    {store::RunSortKey::State, "state"},
    {store::RunSortKey::Stage, "stage"},
    {store::RunSortKey::Host, "host"},
    {store::RunSortKey::LastStep, "step"},
    {store::RunSortKey::LastLoss, "loss"},
}};

template <typename T>
T required(element fields, std::string_view key) {
    return requiredField<T>(fields, key, "the worker's run reply");
}

std::string text(element fields, std::string_view key) {
    return std::string(required<std::string_view>(fields, key));
}

}  // namespace

const char* runSortKeyName(store::RunSortKey key) {
    for (const auto& [candidate, name] : kSortKeyNames)
        if (candidate == key) return name;
    return "created";
}

store::RunSortKey parseRunSortKey(std::string_view name) {
    for (const auto& [key, candidate] : kSortKeyNames)
        if (name == candidate) return key;
    common::fail("{}: expected created, name, state, stage, host, step or loss", name);
}

std::string runsJson(const std::vector<store::RunRecord>& runs) {
    JsonWriter json;
    json.beginObject().key("runs").beginArray();
    for (const store::RunRecord& run : runs) {
        json.beginObject()
            .field("id", run.id)
            .field("name", run.name)
            .field("title", run.title)
            .field("host", run.host)
            .field("created_by", run.createdBy)
            .field("stage", run.stage)
            .field("state", store::runStateName(run.state))
            .field("run_dir", run.runDir)
            .field("created_at", run.createdAt)
            .field("started_at", run.startedAt)
            .field("ended_at", run.endedAt)
            .field("last_step", run.lastStep)
            .key("last_loss");
        if (std::isnan(run.lastLoss))
            json.rawValue("null");
        else
            json.value(run.lastLoss);
        json.key("tags").beginArray();
        for (const std::string& tag : run.tags)
            json.value(tag);
        json.endArray().field("notes", run.notes);
        if (!run.jobId.empty()) json.field("job_id", run.jobId).field("job_state", run.jobState);
        json.endObject();
    }
    return json.endArray().endObject().take();
}

std::vector<store::RunRecord> decodeRuns(std::string_view json) {
    simdjson::dom::parser parser;
    element root;
    if (parser.parse(simdjson::padded_string(json)).get(root))
        common::fail("the worker's run reply is not JSON: {:.200}", json);
    std::vector<store::RunRecord> runs;
    for (element fields : required<simdjson::dom::array>(root, "runs")) {
        store::RunRecord run;
        run.id = required<int64_t>(fields, "id");
        run.name = text(fields, "name");
        run.title = text(fields, "title");
        run.host = text(fields, "host");
        run.createdBy = text(fields, "created_by");
        run.stage = text(fields, "stage");
        run.state = store::parseRunState(text(fields, "state"));
        run.runDir = text(fields, "run_dir");
        run.createdAt = required<double>(fields, "created_at");
        run.startedAt = required<double>(fields, "started_at");
        run.endedAt = required<double>(fields, "ended_at");
        run.lastStep = required<int64_t>(fields, "last_step");
        element loss = required<element>(fields, "last_loss");
        run.lastLoss = std::numeric_limits<double>::quiet_NaN();
        if (!loss.is_null() && loss.get(run.lastLoss))
            common::fail("the worker's run reply has a last_loss that is not a number");
        for (element tag : required<simdjson::dom::array>(fields, "tags")) {
            std::string_view name;
            if (tag.get(name)) common::fail("the worker's run reply has a tag that is not text");
            run.tags.emplace_back(name);
        }
        run.notes = text(fields, "notes");
        if (fields["job_id"].error() != simdjson::NO_SUCH_FIELD) {
            run.jobId = text(fields, "job_id");
            run.jobState = text(fields, "job_state");
        }
        runs.push_back(std::move(run));
    }
    return runs;
}

}  // namespace strata::proto
