// Preference pairs for reward modeling and DPO: JSONL of {"prompt", "chosen", "rejected"}, what
// the labeling panel exports (store::LabelStore::exportPreferences) and TRL reads. A pair whose
// two responses are the same teaches nothing: it is skipped and counted. A line without the
// three strings, or with an empty one, is an error naming the file and line.
#pragma once

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

PreferenceData readPreferences(const std::filesystem::path& path);

}  // namespace strata::data
