#include "core/proto/label_messages.h"

#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/proto/json_fields.h"

#include <simdjson.h>

namespace strata::proto {

using common::JsonWriter;
using simdjson::dom::element;
using simdjson::dom::object;

namespace {

// A field the reply must have, typed.
template <typename T>
T required(element fields, std::string_view key) {
    return requiredField<T>(fields, key, "the worker's label reply");
}

element parseReply(simdjson::dom::parser& parser, std::string_view json) {
    element root;
    if (parser.parse(simdjson::padded_string(json)).get(root) || !root.is_object())
        common::fail("the worker's label reply is not a JSON object: {:.200}", json);
    return root;
}

void writeCounts(JsonWriter& json, const store::LabelCounts& counts) {
    json.field("a", counts.numA)
        .field("b", counts.numB)
        .field("tie", counts.numTie)
        .field("skip", counts.numSkip);
}

void writePair(JsonWriter& json, const store::PreferencePair& pair) {
    json.beginObject().field("id", pair.id);
    writePairText(json, pair);
    json.endObject();
}

store::PreferencePair readPair(element pair) {
    return {required<int64_t>(pair, "id"),
            std::string(required<std::string_view>(pair, "prompt")),
            std::string(required<std::string_view>(pair, "a")),
            std::string(required<std::string_view>(pair, "b")),
            std::string(required<std::string_view>(pair, "source_a")),
            std::string(required<std::string_view>(pair, "source_b"))};
}

store::Choice readChoice(element fields) {
    return store::parseChoice(required<std::string_view>(fields, "choice"));
}

store::LabelCounts readCounts(element fields, int64_t numPairs, int64_t numLabeledPairs) {
    return {numPairs,
            numLabeledPairs,
            required<int64_t>(fields, "a"),
            required<int64_t>(fields, "b"),
            required<int64_t>(fields, "tie"),
            required<int64_t>(fields, "skip")};
}

}  // namespace

void writePairText(JsonWriter& json, const store::PreferencePair& pair) {
    json.field("prompt", pair.prompt)
        .field("a", pair.responseA)
        .field("b", pair.responseB)
        .field("source_a", pair.sourceA)
        .field("source_b", pair.sourceB);
}

std::string claimReplyJson(const std::string& annotator,
                           const std::vector<store::PreferencePair>& pairs) {
    JsonWriter json;
    json.beginObject().field("annotator", annotator).key("pairs").beginArray();
    for (const store::PreferencePair& pair : pairs)
        writePair(json, pair);
    return json.endArray().endObject().take();
}

std::vector<store::PreferencePair> decodeClaimReply(std::string_view json) {
    simdjson::dom::parser parser;
    std::vector<store::PreferencePair> pairs;
    for (element pair : required<simdjson::dom::array>(parseReply(parser, json), "pairs"))
        pairs.push_back(readPair(pair));
    return pairs;
}

std::string statsJson(const store::QueueStats& stats) {
    JsonWriter json;
    json.beginObject()
        .field("pairs", stats.all.numPairs)
        .field("labeled_pairs", stats.all.numLabeledPairs);
    writeCounts(json, stats.all);
    json.key("annotators").beginArray();
    for (const store::AnnotatorProgress& progress : stats.annotators) {
        json.beginObject()
            .field("annotator", progress.annotator)
            .field("labels", progress.counts.numLabeledPairs);
        writeCounts(json, progress.counts);
        json.field("seconds_per_label", progress.secondsPerLabel)
            .field("last_labeled_at", progress.lastLabeledAt)
            .endObject();
    }
    json.endArray().key("agreements").beginArray();
    for (const store::AnnotatorAgreement& agreement : stats.agreements)
        json.beginObject()
            .field("first", agreement.first)
            .field("second", agreement.second)
            .field("comparisons", agreement.agreement.numComparisons)
            .field("observed", agreement.agreement.observed)
            .field("kappa", agreement.agreement.kappa)
            .endObject();
    json.endArray()
        .key("agreement")
        .beginObject()
        .field("comparisons", stats.agreement.numComparisons)
        .field("observed", stats.agreement.observed)
        .field("kappa", stats.agreement.kappa)
        .endObject()
        .key("position_bias")
        .beginObject()
        .field("decisions", stats.positionBias.numDecisions)
        .field("left_wins", stats.positionBias.leftWins)
        .endObject()
        .key("scorers")
        .beginArray();
    for (const std::string& scorer : stats.scorers)
        json.value(scorer);
    return json.endArray().endObject().take();
}

store::QueueStats decodeStats(std::string_view json) {
    simdjson::dom::parser parser;
    element root = parseReply(parser, json);
    store::QueueStats stats;
    stats.all = readCounts(root, required<int64_t>(root, "pairs"),
                           required<int64_t>(root, "labeled_pairs"));
    for (element progress : required<simdjson::dom::array>(root, "annotators")) {
        const int64_t labels = required<int64_t>(progress, "labels");
        stats.annotators.push_back({std::string(required<std::string_view>(progress, "annotator")),
                                    readCounts(progress, stats.all.numPairs, labels),
                                    required<double>(progress, "seconds_per_label"),
                                    required<double>(progress, "last_labeled_at")});
    }
    for (element agreement : required<simdjson::dom::array>(root, "agreements"))
        stats.agreements.push_back(
            {std::string(required<std::string_view>(agreement, "first")),
             std::string(required<std::string_view>(agreement, "second")),
             {required<int64_t>(agreement, "comparisons"), required<double>(agreement, "observed"),
              required<double>(agreement, "kappa")}});
    element agreement = required<element>(root, "agreement");
    stats.agreement = {required<int64_t>(agreement, "comparisons"),
                       required<double>(agreement, "observed"),
                       required<double>(agreement, "kappa")};
    element bias = required<element>(root, "position_bias");
    stats.positionBias = {required<int64_t>(bias, "decisions"),
                          required<double>(bias, "left_wins")};
    for (element scorer : required<simdjson::dom::array>(root, "scorers")) {
        std::string_view name;
        if (scorer.get(name))
            common::fail("the worker's label stats name a scorer that is not text");
        stats.scorers.emplace_back(name);
    }
    return stats;
}

std::string disagreementsJson(const std::vector<store::Disagreement>& disagreements) {
    JsonWriter json;
    json.beginObject().key("disagreements").beginArray();
    for (const store::Disagreement& disagreement : disagreements) {
        json.beginObject().key("pair");
        writePair(json, disagreement.pair);
        json.key("labels").beginArray();
        for (const store::Label& label : disagreement.labels)
            json.beginObject()
                .field("annotator", label.annotator)
                .field("choice", store::choiceName(label.choice))
                .field("rationale", label.rationale)
                .field("labeled_at", label.labeledAt)
                .field("swapped", label.swapped)
                .endObject();
        json.endArray().key("decision");
        if (const std::optional<store::Adjudication>& decision = disagreement.decision)
            json.beginObject()
                .field("reviewer", decision->reviewer)
                .field("choice", store::choiceName(decision->choice))
                .field("note", decision->note)
                .field("decided_at", decision->decidedAt)
                .endObject();
        else
            json.rawValue("null");
        json.endObject();
    }
    return json.endArray().endObject().take();
}

std::vector<store::Disagreement> decodeDisagreements(std::string_view json) {
    simdjson::dom::parser parser;
    std::vector<store::Disagreement> disagreements;
    for (element item : required<simdjson::dom::array>(parseReply(parser, json), "disagreements")) {
        store::Disagreement disagreement{readPair(required<element>(item, "pair")), {}, {}};
        for (element label : required<simdjson::dom::array>(item, "labels"))
            disagreement.labels.push_back(
                {disagreement.pair.id, std::string(required<std::string_view>(label, "annotator")),
                 readChoice(label), std::string(required<std::string_view>(label, "rationale")),
                 required<double>(label, "labeled_at"), required<bool>(label, "swapped")});
        element decision = required<element>(item, "decision");
        if (!decision.is_null())
            disagreement.decision = store::Adjudication{
                std::string(required<std::string_view>(decision, "reviewer")), readChoice(decision),
                std::string(required<std::string_view>(decision, "note")),
                required<double>(decision, "decided_at")};
        disagreements.push_back(std::move(disagreement));
    }
    return disagreements;
}

std::string settingsJson(const store::QueueSettings& settings) {
    return JsonWriter()
        .beginObject()
        .field("owner", settings.owner)
        .field("labels_per_pair", int64_t(settings.labelsPerPair))
        .field("claim_seconds", settings.claimSeconds)
        .field("guidelines", settings.guidelines)
        .endObject()
        .take();
}

store::QueueSettings decodeSettingsReply(std::string_view json) {
    simdjson::dom::parser parser;
    element root = parseReply(parser, json);
    return {std::string(required<std::string_view>(root, "owner")),
            int(required<int64_t>(root, "labels_per_pair")),
            required<double>(root, "claim_seconds"),
            std::string(required<std::string_view>(root, "guidelines"))};
}

std::string exportPageJson(const ExportPage& page) {
    JsonWriter json;
    json.beginObject().key("lines").beginArray();
    for (const std::string& line : page.lines)
        json.value(line);
    return json.endArray()
        .field("after_pair", page.after.pairId)
        .field("after_annotator", page.after.annotator)
        .endObject()
        .take();
}

ExportPage decodeExportPage(std::string_view json) {
    simdjson::dom::parser parser;
    element root = parseReply(parser, json);
    ExportPage page;
    for (element line : required<simdjson::dom::array>(root, "lines")) {
        std::string_view text;
        if (line.get(text)) common::fail("the worker's export page holds a line that is not text");
        page.lines.emplace_back(text);
    }
    page.after = {required<int64_t>(root, "after_pair"),
                  std::string(required<std::string_view>(root, "after_annotator"))};
    return page;
}

int64_t replyInteger(std::string_view json, const char* key) {
    simdjson::dom::parser parser;
    return required<int64_t>(parseReply(parser, json), key);
}

bool replyFlag(std::string_view json, const char* key) {
    simdjson::dom::parser parser;
    return required<bool>(parseReply(parser, json), key);
}

}  // namespace strata::proto
