// Two runs' configs compared key by key: each run.toml is flattened into dotted keys
// ("optim.lr") with every value written back as TOML text, and the keys whose text differs are
// listed. It only needs to parse the configs, not validate them: the run checked its config when
// it began, and a config from an older Strata with keys this one no longer knows still compares.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace strata::store {

struct ConfigDifference {
    std::string key;    // dotted: "optim.lr"
    std::string left;   // the value as TOML text in the first run, or empty when absent
    std::string right;  // the same for the second run
    bool same() const { return left == right; }
};

// Dotted key → value as TOML text. Keys that are not bare TOML keys are quoted ("a.\"b c\""),
// arrays of tables are indexed ("stage.0.name"), other arrays are one value ("[1, 2]"). Throws
// common::Error naming `sourceName` and the line when the text is not TOML.
std::map<std::string, std::string> flattenToml(std::string_view text, std::string_view sourceName);

// The keys whose values differ between two flattened configs, sorted by key; with `allKeys`,
// the keys of equal value as well (same() tells them apart).
std::vector<ConfigDifference> configDifferences(const std::map<std::string, std::string>& left,
                                                const std::map<std::string, std::string>& right,
                                                bool allKeys = false);

}  // namespace strata::store
