#include "core/data/preference_data.h"

#include "core/common/error.h"
#include "core/common/jsonl_objects.h"

namespace strata::data {

using common::fail;

PreferenceData readPreferences(const std::filesystem::path& path) {
    const std::string file = path.string();
    PreferenceData data;
    common::forEachJsonlObject(path, [&](simdjson::dom::object fields, size_t line) {
        Preference pair;
        for (auto [key, value] :
             {std::pair{"prompt", &pair.prompt}, std::pair{"chosen", &pair.chosen},
              std::pair{"rejected", &pair.rejected}}) {
            std::string_view text;
            if (fields[key].get(text))
                fail("{}:{}: needs \"prompt\", \"chosen\" and \"rejected\" strings", file, line);
            if (text.empty()) fail("{}:{}: \"{}\" is empty", file, line, key);
            *value = std::string(text);
        }
        if (pair.chosen == pair.rejected) {
            ++data.identicalSkipped;
            return;
        }
        data.pairs.push_back(std::move(pair));
    });
    return data;
}

}  // namespace strata::data
