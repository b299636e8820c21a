// The worker's replies to the labeling queue's requests (docs/protocol.md), as the worker writes
// them (LabelService) and the client reads them (RemoteLabelQueue). Each encoder returns the
// reply's data object as JSON text; each decoder throws common::Error naming what is missing.
#pragma once

#include "core/common/json_writer.h"
#include "core/store/label_queue.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::proto {

// A pair's "prompt", "a", "b", "source_a" and "source_b" fields, as claims and imports carry it.
void writePairText(common::JsonWriter& json, const store::PreferencePair& pair);

// label_claim: {"annotator": NAME, "pairs": [{"id", "prompt", "a", "b", "source_a",
// "source_b"}, ...]}, empty when nothing is left for the annotator.
std::string claimReplyJson(const std::string& annotator,
                           const std::vector<store::PreferencePair>& pairs);
std::vector<store::PreferencePair> decodeClaimReply(std::string_view json);

// label_stats: {"pairs", "labeled_pairs", "a", "b", "tie", "skip", "annotators": [{"annotator",
// "labels", "a", "b", "tie", "skip", "seconds_per_label", "last_labeled_at"}], "agreements":
// [{"first", "second", "comparisons", "observed", "kappa"}], "agreement": {"comparisons",
// "observed", "kappa"} (everyone's), "position_bias": {"decisions", "left_wins"}, "scorers":
// [...]}.
std::string statsJson(const store::QueueStats& stats);
store::QueueStats decodeStats(std::string_view json);

// label_settings: {"owner", "labels_per_pair", "claim_seconds", "guidelines"}.
std::string settingsJson(const store::QueueSettings& settings);
store::QueueSettings decodeSettingsReply(std::string_view json);

// label_disagreements: {"disagreements": [{"pair": {...as claimed}, "labels": [{"annotator",
// "choice", "rationale", "labeled_at", "swapped"}], "decision": {"reviewer", "choice", "note",
// "decided_at"} or null}]}.
std::string disagreementsJson(const std::vector<store::Disagreement>& disagreements);
std::vector<store::Disagreement> decodeDisagreements(std::string_view json);

// label_export: {"lines": [...], "after_pair": N, "after_annotator": NAME}; no lines at the end.
struct ExportPage {
    std::vector<std::string> lines;
    store::ExportCursor after;
};
std::string exportPageJson(const ExportPage& page);
ExportPage decodeExportPage(std::string_view json);

// Replies whose data is a few fields: the integer or flag at `key`.
int64_t replyInteger(std::string_view json, const char* key);
bool replyFlag(std::string_view json, const char* key);

}  // namespace strata::proto
