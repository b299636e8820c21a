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

std::string textOf(element item, std::string_view where) {
    std::string_view value;
    if (item.get(value)) common::fail("the worker's run reply has {} that are not text", where);
    return std::string(value);
}

// A number that may be null (not finite where it was written): NaN.
double numberOrNaN(element value, std::string_view what) {
    double number = std::numeric_limits<double>::quiet_NaN();
    if (!value.is_null() && value.get(number))
        common::fail("the worker's run reply has {} that is not a number", what);
    return number;
}

double fieldOrNaN(element fields, std::string_view key) {
    return numberOrNaN(required<element>(fields, key), key);
}

element parseReply(simdjson::dom::parser& parser, std::string_view json) {
    element root;
    if (parser.parse(simdjson::padded_string(json)).get(root) || !root.is_object())
        common::fail("the worker's run reply is not a JSON object: {:.200}", json);
    return root;
}

// An array of a fixed length: a bucket, sample or metric row.
class Tuple {
public:
    Tuple(element item, size_t length, std::string_view where) : m_where(where) {
        if (item.get(m_items) || m_items.size() != length)
            common::fail("the worker's run reply has {} that are not arrays of {}", where, length);
    }
    int64_t integer(size_t index) {
        int64_t value;
        if (m_items.at(index).get(value))
            common::fail("the worker's run reply has {} with a value that is not an integer",
                         m_where);
        return value;
    }
    double number(size_t index) { return numberOrNaN(m_items.at(index), m_where); }

private:
    simdjson::dom::array m_items;
    std::string_view m_where;
};

void writeRun(JsonWriter& json, const store::RunRecord& run, bool withConfig) {
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
        .field("last_seq", run.lastSeq)
        .field("last_step", run.lastStep)
        .field("last_loss", run.lastLoss)
        .key("tags")
        .beginArray();
    for (const std::string& tag : run.tags)
        json.value(tag);
    json.endArray().field("notes", run.notes);
    if (!run.jobId.empty()) json.field("job_id", run.jobId).field("job_state", run.jobState);
    if (withConfig) {
        json.field("config", run.configText).key("parent_run_id");
        if (run.parentRunId)
            json.value(*run.parentRunId);
        else
            json.rawValue("null");
        json.field("parent_checkpoint", run.parentCheckpoint);
    }
    json.endObject();
}

store::RunRecord readRun(element fields) {
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
    run.lastSeq = fieldOr<int64_t>(fields, "last_seq", 0);  // an older worker's: none
    run.lastStep = required<int64_t>(fields, "last_step");
    run.lastLoss = fieldOrNaN(fields, "last_loss");
    for (element tag : required<simdjson::dom::array>(fields, "tags"))
        run.tags.push_back(textOf(tag, "tags"));
    run.notes = text(fields, "notes");
    if (fields["job_id"].error() != simdjson::NO_SUCH_FIELD) {
        run.jobId = text(fields, "job_id");
        run.jobState = text(fields, "job_state");
    }
    return run;
}

void writeLineage(JsonWriter& json, const store::LineageItem& item) {
    json.beginObject()
        .field("kind", store::lineageKindName(item.kind))
        .field("label", item.label)
        .field("detail", item.detail)
        .key("inputs")
        .beginArray();
    for (const store::LineageItem& input : item.inputs)
        writeLineage(json, input);
    json.endArray().endObject();
}

store::LineageKind parseLineageKind(std::string_view name) {
    for (store::LineageKind kind :
         {store::LineageKind::Run, store::LineageKind::Checkpoint, store::LineageKind::Shards,
          store::LineageKind::Tokenizer, store::LineageKind::Corpus, store::LineageKind::Source,
          store::LineageKind::Data})
        if (name == store::lineageKindName(kind)) return kind;
    common::fail("the worker's run reply has a lineage item of an unknown kind \"{}\"", name);
}

store::LineageItem readLineage(element fields) {
    store::LineageItem item;
    item.kind = parseLineageKind(text(fields, "kind"));
    item.label = text(fields, "label");
    item.detail = text(fields, "detail");
    for (element input : required<simdjson::dom::array>(fields, "inputs"))
        item.inputs.push_back(readLineage(input));
    return item;
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
    for (const store::RunRecord& run : runs)
        writeRun(json, run, false);
    return json.endArray().endObject().take();
}

std::vector<store::RunRecord> decodeRuns(std::string_view json) {
    simdjson::dom::parser parser;
    std::vector<store::RunRecord> runs;
    for (element fields : required<simdjson::dom::array>(parseReply(parser, json), "runs"))
        runs.push_back(readRun(fields));
    return runs;
}

std::string runJson(const store::RunRecord& run) {
    JsonWriter json;
    json.beginObject().key("run");
    writeRun(json, run, true);
    return json.endObject().take();
}

store::RunRecord decodeRun(std::string_view json) {
    simdjson::dom::parser parser;
    element fields = required<element>(parseReply(parser, json), "run");
    store::RunRecord run = readRun(fields);
    run.configText = text(fields, "config");
    element parent = required<element>(fields, "parent_run_id");
    if (!parent.is_null()) run.parentRunId = required<int64_t>(fields, "parent_run_id");
    run.parentCheckpoint = text(fields, "parent_checkpoint");
    return run;
}

std::string metricKeysJson(const std::vector<std::string>& keys) {
    JsonWriter json;
    json.beginObject().key("keys").beginArray();
    for (const std::string& key : keys)
        json.value(key);
    return json.endArray().endObject().take();
}

std::vector<std::string> decodeMetricKeys(std::string_view json) {
    simdjson::dom::parser parser;
    std::vector<std::string> keys;
    for (element key : required<simdjson::dom::array>(parseReply(parser, json), "keys"))
        keys.push_back(textOf(key, "keys"));
    return keys;
}

std::string bucketsJson(const std::vector<store::SeriesBucket>& buckets) {
    JsonWriter json;
    json.beginObject().key("buckets").beginArray();
    for (const store::SeriesBucket& bucket : buckets)
        json.beginArray()
            .value(bucket.firstStep)
            .value(bucket.lastStep)
            .value(bucket.minValue)
            .value(bucket.maxValue)
            .value(bucket.firstValue)
            .value(bucket.lastValue)
            .value(bucket.count)
            .endArray();
    return json.endArray().endObject().take();
}

std::vector<store::SeriesBucket> decodeBuckets(std::string_view json) {
    simdjson::dom::parser parser;
    std::vector<store::SeriesBucket> buckets;
    for (element item : required<simdjson::dom::array>(parseReply(parser, json), "buckets")) {
        Tuple bucket(item, 7, "buckets");
        buckets.push_back({bucket.integer(0), bucket.integer(1), bucket.number(2), bucket.number(3),
                           bucket.number(4), bucket.number(5), bucket.integer(6)});
    }
    return buckets;
}

std::string samplesJson(const std::vector<store::StepSample>& samples) {
    JsonWriter json;
    json.beginObject().key("samples").beginArray();
    for (const store::StepSample& sample : samples)
        json.beginArray().value(sample.step).value(sample.value).value(sample.wallTime).endArray();
    return json.endArray().endObject().take();
}

std::vector<store::StepSample> decodeSamples(std::string_view json) {
    simdjson::dom::parser parser;
    std::vector<store::StepSample> samples;
    for (element item : required<simdjson::dom::array>(parseReply(parser, json), "samples")) {
        Tuple sample(item, 3, "samples");
        samples.push_back({sample.integer(0), sample.number(1), sample.number(2)});
    }
    return samples;
}

std::string metricRowsJson(const std::vector<store::MetricRow>& rows) {
    JsonWriter json;
    json.beginObject().key("rows").beginArray();
    for (const store::MetricRow& row : rows)
        json.beginArray()
            .value(row.step)
            .value(row.value)
            .value(row.wallTime)
            .value(int64_t(row.rank))
            .endArray();
    return json.endArray().endObject().take();
}

std::vector<store::MetricRow> decodeMetricRows(std::string_view json, const std::string& key) {
    simdjson::dom::parser parser;
    std::vector<store::MetricRow> rows;
    for (element item : required<simdjson::dom::array>(parseReply(parser, json), "rows")) {
        Tuple row(item, 4, "rows");
        rows.push_back({0, key, row.integer(0), row.number(1), row.number(2), int(row.integer(3))});
    }
    return rows;
}

namespace {

void writeCheckpoints(JsonWriter& json, const std::vector<store::CheckpointRow>& checkpoints) {
    json.key("checkpoints").beginArray();
    for (const store::CheckpointRow& checkpoint : checkpoints)
        json.beginObject()
            .field("seq", checkpoint.seq)
            .field("step", checkpoint.step)
            .field("path", checkpoint.path)
            .field("val_loss", checkpoint.valLoss)
            .field("saved_at", checkpoint.savedAt)
            .endObject();
    json.endArray();
}

std::vector<store::CheckpointRow> readCheckpoints(element object) {
    std::vector<store::CheckpointRow> checkpoints;
    for (element fields : required<simdjson::dom::array>(object, "checkpoints"))
        checkpoints.push_back({required<int64_t>(fields, "seq"), required<int64_t>(fields, "step"),
                               text(fields, "path"), fieldOrNaN(fields, "val_loss"),
                               fieldOrNaN(fields, "saved_at")});
    return checkpoints;
}

}  // namespace

std::string checkpointsJson(const std::vector<store::CheckpointRow>& checkpoints) {
    JsonWriter json;
    json.beginObject();
    writeCheckpoints(json, checkpoints);
    return json.endObject().take();
}

std::vector<store::CheckpointRow> decodeCheckpoints(std::string_view json) {
    simdjson::dom::parser parser;
    return readCheckpoints(parseReply(parser, json));
}

std::string checkpointsByRunJson(
    const std::map<int64_t, std::vector<store::CheckpointRow>>& byRun) {
    JsonWriter json;
    json.beginObject().key("runs").beginArray();
    for (const auto& [runId, checkpoints] : byRun) {
        json.beginObject().field("run", runId);
        writeCheckpoints(json, checkpoints);
        json.endObject();
    }
    return json.endArray().endObject().take();
}

std::map<int64_t, std::vector<store::CheckpointRow>> decodeCheckpointsByRun(std::string_view json) {
    simdjson::dom::parser parser;
    std::map<int64_t, std::vector<store::CheckpointRow>> byRun;
    for (element run : required<simdjson::dom::array>(parseReply(parser, json), "runs"))
        byRun.emplace(required<int64_t>(run, "run"), readCheckpoints(run));
    return byRun;
}

std::string logsJson(const std::vector<store::LogRow>& logs) {
    JsonWriter json;
    json.beginObject().key("logs").beginArray();
    for (const store::LogRow& log : logs)
        json.beginObject()
            .field("seq", log.seq)
            .field("time", log.time)
            .field("rank", int64_t(log.rank))
            .field("level", log.level)
            .field("message", log.message)
            .endObject();
    return json.endArray().endObject().take();
}

std::vector<store::LogRow> decodeLogs(std::string_view json) {
    simdjson::dom::parser parser;
    std::vector<store::LogRow> logs;
    for (element fields : required<simdjson::dom::array>(parseReply(parser, json), "logs"))
        logs.push_back({required<int64_t>(fields, "seq"), fieldOrNaN(fields, "time"),
                        int(required<int64_t>(fields, "rank")), text(fields, "level"),
                        text(fields, "message")});
    return logs;
}

std::string rolloutStepsJson(const std::vector<int64_t>& steps) {
    JsonWriter json;
    json.beginObject().key("steps").beginArray();
    for (int64_t step : steps)
        json.value(step);
    return json.endArray().endObject().take();
}

std::vector<int64_t> decodeRolloutSteps(std::string_view json) {
    simdjson::dom::parser parser;
    std::vector<int64_t> steps;
    for (element item : required<simdjson::dom::array>(parseReply(parser, json), "steps")) {
        int64_t step;
        if (item.get(step)) common::fail("the worker's run reply has steps that are not integers");
        steps.push_back(step);
    }
    return steps;
}

std::string rolloutsJson(const std::optional<store::RolloutRow>& rollouts) {
    JsonWriter json;
    json.beginObject().key("rollouts");
    if (!rollouts)
        json.rawValue("null");
    else
        json.beginObject()
            .field("seq", rollouts->seq)
            .field("step", rollouts->step)
            .key("data")
            .rawValue(rollouts->dataJson)
            .endObject();
    return json.endObject().take();
}

std::optional<store::RolloutRow> decodeRollouts(std::string_view json) {
    simdjson::dom::parser parser;
    element fields = required<element>(parseReply(parser, json), "rollouts");
    if (fields.is_null()) return std::nullopt;
    return store::RolloutRow{required<int64_t>(fields, "seq"), required<int64_t>(fields, "step"),
                             simdjson::minify(required<element>(fields, "data"))};
}

std::string differencesJson(const std::vector<store::ConfigDifference>& differences) {
    JsonWriter json;
    json.beginObject().key("differences").beginArray();
    for (const store::ConfigDifference& difference : differences)
        json.beginObject()
            .field("key", difference.key)
            .field("left", difference.left)
            .field("right", difference.right)
            .endObject();
    return json.endArray().endObject().take();
}

std::vector<store::ConfigDifference> decodeDifferences(std::string_view json) {
    simdjson::dom::parser parser;
    std::vector<store::ConfigDifference> differences;
    for (element fields : required<simdjson::dom::array>(parseReply(parser, json), "differences"))
        differences.push_back({text(fields, "key"), text(fields, "left"), text(fields, "right")});
    return differences;
}

std::string lineageJson(const store::LineageItem& lineage) {
    JsonWriter json;
    json.beginObject().key("lineage");
    writeLineage(json, lineage);
    return json.endObject().take();
}

store::LineageItem decodeLineage(std::string_view json) {
    simdjson::dom::parser parser;
    return readLineage(required<element>(parseReply(parser, json), "lineage"));
}

std::string commentsJson(const std::vector<store::RunComment>& comments) {
    JsonWriter json;
    json.beginObject().key("comments").beginArray();
    for (const store::RunComment& comment : comments)
        json.beginObject()
            .field("id", comment.id)
            .field("author", comment.author)
            .field("body", comment.body)
            .field("created_at", comment.createdAt)
            .endObject();
    return json.endArray().endObject().take();
}

std::vector<store::RunComment> decodeComments(std::string_view json) {
    simdjson::dom::parser parser;
    std::vector<store::RunComment> comments;
    for (element fields : required<simdjson::dom::array>(parseReply(parser, json), "comments"))
        comments.push_back({required<int64_t>(fields, "id"), text(fields, "author"),
                            text(fields, "body"), required<double>(fields, "created_at")});
    return comments;
}

namespace {

void writeRecord(JsonWriter& json, const store::DatasetRecord& record) {
    json.beginObject()
        .field("path", record.path)
        .field("fingerprint", record.fingerprint)
        .field("stats", record.statsJson)
        .endObject();
}

store::DatasetRecord readRecord(element fields) {
    return {text(fields, "path"), text(fields, "fingerprint"), text(fields, "stats")};
}

}  // namespace

std::string datasetRecordsJson(std::string_view key,
                               const std::vector<store::DatasetRecord>& records) {
    JsonWriter json;
    json.beginObject().key(key).beginArray();
    for (const store::DatasetRecord& record : records)
        writeRecord(json, record);
    return json.endArray().endObject().take();
}

std::vector<store::DatasetRecord> decodeDatasetRecords(std::string_view json,
                                                       std::string_view key) {
    simdjson::dom::parser parser;
    std::vector<store::DatasetRecord> records;
    for (element fields : required<simdjson::dom::array>(parseReply(parser, json), key))
        records.push_back(readRecord(fields));
    return records;
}

std::string recordedShardsJson(const store::RecordedShards& recorded) {
    JsonWriter json;
    json.beginObject().key("shards");
    writeRecord(json, recorded.shards);
    json.key("tokenizer");
    writeRecord(json, recorded.tokenizer);
    return json.endObject().take();
}

store::RecordedShards decodeRecordedShards(std::string_view json) {
    simdjson::dom::parser parser;
    element root = parseReply(parser, json);
    return {readRecord(required<element>(root, "shards")),
            readRecord(required<element>(root, "tokenizer"))};
}

std::string addedCommentJson(int64_t commentId) {
    return JsonWriter().beginObject().field("comment", commentId).endObject().take();
}

int64_t decodeAddedComment(std::string_view json) {
    simdjson::dom::parser parser;
    return required<int64_t>(parseReply(parser, json), "comment");
}

}  // namespace strata::proto
