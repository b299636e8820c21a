#include "core/data/preference_data.h"

#include "core/common/error.h"
#include "core/common/jsonl_objects.h"

#include <array>

namespace strata::data {

using common::fail;

namespace {

// The pairs of `path`; unlabeled ones ({prompt, response_a, response_b}) only when allowed.
std::vector<PreferenceRecord> readRecords(const std::filesystem::path& path, bool allowUnlabeled) {
    const std::string file = path.string();
    const char* needs = allowUnlabeled ? "needs \"prompt\" with \"chosen\" and \"rejected\" (or "
                                         "\"response_a\" and \"response_b\") strings"
                                       : "needs \"prompt\", \"chosen\" and \"rejected\" strings";
    std::vector<PreferenceRecord> records;
    common::forEachJsonlObject(path, [&](simdjson::dom::object fields, size_t line) {
        auto has = [&](const char* key) { return fields[key].error() == simdjson::SUCCESS; };
        PreferenceRecord record;
        record.line = line;
        record.labeled = !allowUnlabeled || has("chosen") || has("rejected") ||
                         !(has("response_a") || has("response_b"));
        const std::array<const char*, 3> keys =
            record.labeled ? std::array{"prompt", "chosen", "rejected"}
                           : std::array{"prompt", "response_a", "response_b"};
        const std::array<std::string*, 3> values = {&record.prompt, &record.first, &record.second};
        for (size_t i = 0; i < keys.size(); ++i) {
            std::string_view text;
            if (fields[keys[i]].get(text)) fail("{}:{}: {}", file, line, needs);
            if (text.empty()) fail("{}:{}: \"{}\" is empty", file, line, keys[i]);
            *values[i] = std::string(text);
        }
        records.push_back(std::move(record));
    });
    return records;
}

}  // namespace

PreferenceData readPreferences(const std::filesystem::path& path) {
    PreferenceData data;
    for (PreferenceRecord& record : readRecords(path, false)) {
        if (record.first == record.second) {
            ++data.identicalSkipped;
            continue;
        }
        data.pairs.push_back(
            {std::move(record.prompt), std::move(record.first), std::move(record.second)});
    }
    return data;
}

std::vector<PreferenceRecord> readPreferenceRecords(const std::filesystem::path& path) {
    return readRecords(path, true);
}

}  // namespace strata::data
