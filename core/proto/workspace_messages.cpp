#include "core/proto/workspace_messages.h"

#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/proto/json_fields.h"

#include <simdjson.h>

namespace strata::proto {

namespace {

using simdjson::dom::element;

constexpr std::string_view kWhat = "the worker's workspace reply";

element parseReply(simdjson::dom::parser& parser, std::string_view json) {
    element root;
    if (parser.parse(simdjson::padded_string(json)).get(root) || !root.is_object())
        common::fail("{} is not a JSON object: {:.200}", kWhat, json);
    return root;
}

simdjson::dom::array requiredArray(element root, std::string_view key) {
    return requiredField<simdjson::dom::array>(root, key, kWhat);
}

std::string text(element fields, std::string_view key) {
    return std::string(requiredField<std::string_view>(fields, key, kWhat));
}

}  // namespace

std::string folderEntriesJson(const std::vector<store::FolderEntry>& entries) {
    common::JsonWriter json;
    json.beginObject().key("entries").beginArray();
    for (const store::FolderEntry& entry : entries)
        json.beginObject()
            .field("name", entry.name)
            .field("folder", entry.folder)
            .field("size", int64_t(entry.size))
            .field("modified_ns", entry.modifiedNanoseconds)
            .endObject();
    return json.endArray().endObject().take();
}

std::vector<store::FolderEntry> decodeFolderEntries(std::string_view json) {
    simdjson::dom::parser parser;
    std::vector<store::FolderEntry> entries;
    for (element item : requiredArray(parseReply(parser, json), "entries"))
        entries.push_back({text(item, "name"), requiredField<bool>(item, "folder", kWhat),
                           uint64_t(requiredField<int64_t>(item, "size", kWhat)),
                           requiredField<int64_t>(item, "modified_ns", kWhat)});
    return entries;
}

std::string fileTextJson(std::string_view text) {
    return common::JsonWriter().beginObject().field("text", text).endObject().take();
}

std::string decodeFileText(std::string_view json) {
    simdjson::dom::parser parser;
    return text(parseReply(parser, json), "text");
}

std::string previewJson(const std::vector<cleaning::PreviewDocument>& documents) {
    common::JsonWriter json;
    json.beginObject().key("documents").beginArray();
    for (const cleaning::PreviewDocument& document : documents)
        json.beginObject()
            .field("source", document.source)
            .field("line", int64_t(document.line))
            .field("before", document.before)
            .field("after", document.after)
            .field("reason", cleaning::rejectReasonName(document.reason))
            .endObject();
    return json.endArray().endObject().take();
}

std::vector<cleaning::PreviewDocument> decodePreview(std::string_view json) {
    simdjson::dom::parser parser;
    std::vector<cleaning::PreviewDocument> documents;
    for (element item : requiredArray(parseReply(parser, json), "documents")) {
        const std::string reason = text(item, "reason");
        std::optional<cleaning::RejectReason> parsed = cleaning::parseRejectReason(reason);
        if (!parsed) common::fail("{} names an unknown reason \"{}\"", kWhat, reason);
        documents.push_back({text(item, "source"),
                             uint64_t(requiredField<int64_t>(item, "line", kWhat)),
                             text(item, "before"), text(item, "after"), *parsed});
    }
    return documents;
}

std::string jobOutputJson(const JobOutput& output) {
    common::JsonWriter json;
    json.beginObject()
        .field("job", output.job)
        .field("kind", jobKindName(output.kind))
        .field("state", jobStateName(output.state))
        .key("lines")
        .beginArray();
    for (const std::string& line : output.lines)
        json.value(line);
    return json.endArray().field("next", output.next).endObject().take();
}

JobOutput decodeJobOutput(std::string_view json) {
    simdjson::dom::parser parser;
    element root = parseReply(parser, json);
    JobOutput output;
    output.job = text(root, "job");
    std::optional<JobSpec::Kind> kind = parseJobKind(text(root, "kind"));
    std::optional<JobState> state = parseJobState(text(root, "state"));
    if (!kind || !state) common::fail("{} names an unknown job kind or state", kWhat);
    output.kind = *kind;
    output.state = *state;
    for (element line : requiredArray(root, "lines")) {
        std::string_view value;
        if (line.get(value)) common::fail("{} has a job output line that is not text", kWhat);
        output.lines.emplace_back(value);
    }
    output.next = requiredField<int64_t>(root, "next", kWhat);
    return output;
}

}  // namespace strata::proto
