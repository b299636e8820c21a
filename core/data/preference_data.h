// Preference pairs for reward modeling and DPO: JSONL of {"prompt", "chosen", "rejected"}, what
// the labeling panel exports (store::LabelStore::exportPreferences) and TRL reads. A pair whose
// two responses are the same teaches nothing: it is skipped and counted. The labeling queue also
// imports pairs nobody has labeled yet, {"prompt", "response_a", "response_b"}, through the same
// reader. A line without the three strings, or with an empty one, is an error naming the file
// and line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace strata::data {

struct Preference {
    std::string prompt;
    std::string chosen;
    std::string rejected;
};

struct PreferenceData {
    std::vector<Preference> pairs;
    int64_t identicalSkipped = 0;  // pairs whose chosen and rejected responses were equal
};

// Reward and DPO training's pairs: {prompt, chosen, rejected} only.
PreferenceData readPreferences(const std::filesystem::path& path);

// A pair as the file holds it, labeled or not, with the line it is on.
struct PreferenceRecord {
    std::string prompt;
    std::string first;    // "chosen", or "response_a"
    std::string second;   // "rejected", or "response_b"
    bool labeled = true;  // chosen and rejected, not response_a and response_b
    size_t line = 0;      // 1-based
};

// Every pair of the file in order, in either form, identical responses included.
std::vector<PreferenceRecord> readPreferenceRecords(const std::filesystem::path& path);

}  // namespace strata::data
