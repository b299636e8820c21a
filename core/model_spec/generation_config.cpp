#include "core/model_spec/generation_config.h"

#include "core/common/error.h"
#include "core/common/json_object.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <climits>

namespace strata::model_spec {

using common::fail;

namespace {

// transformers' GenerationConfig defaults for the keys Strata samples with.
constexpr double kHfTemperature = 1.0;
constexpr int kHfTopK = 50;
constexpr double kHfTopP = 1.0;
constexpr double kHfRepetitionPenalty = 1.0;

// Keys that change what transformers generates, with the value that leaves it unchanged.
struct SamplerSetting {
    const char* key;
    double neutral;
};
constexpr SamplerSetting kUnfollowedSettings[] = {
    {"num_beams", 1},      {"min_p", 0},      {"typical_p", 1},     {"no_repeat_ngram_size", 0},
    {"min_new_tokens", 0}, {"min_length", 0}, {"penalty_alpha", 0}, {"epsilon_cutoff", 0},
    {"eta_cutoff", 0},
};

class GenerationJson {
public:
    GenerationJson(simdjson::dom::object object, const std::string& file)
        : m_object(object), m_file(file) {}

    std::optional<simdjson::dom::element> find(const char* key) const {
        simdjson::dom::element element;
        if (m_object.at_key(key).get(element) || element.is_null()) return std::nullopt;
        return element;
    }
    bool boolean(const char* key, bool fallback) const {
        std::optional<simdjson::dom::element> element = find(key);
        if (!element) return fallback;
        bool value;
        if (element->get(value)) wrongType(key, "true or false");
        return value;
    }
    double number(const char* key, double fallback) const {
        std::optional<simdjson::dom::element> element = find(key);
        if (!element) return fallback;
        double value;
        if (element->get(value)) wrongType(key, "a number");
        return value;
    }
    int integer(const char* key, int minimum, int fallback) const {
        std::optional<simdjson::dom::element> element = find(key);
        if (!element) return fallback;
        return integerOf(key, *element, minimum);
    }
    // One id or a list of them.
    std::vector<int64_t> ids(const char* key) const {
        std::optional<simdjson::dom::element> element = find(key);
        if (!element) return {};
        simdjson::dom::array array;
        if (element->get(array)) return {integerOf(key, *element, 0)};
        std::vector<int64_t> values;
        for (simdjson::dom::element item : array)
            values.push_back(integerOf(key, item, 0));
        return values;
    }
    std::string where(const char* key) const { return fmt::format("{}: key '{}'", m_file, key); }

private:
    int integerOf(const char* key, simdjson::dom::element element, int minimum) const {
        int64_t value;
        if (element.get(value) || value < minimum || value > INT_MAX)
            wrongType(key, minimum > 0 ? "a positive integer" : "a non-negative integer");
        return int(value);
    }
    [[noreturn]] void wrongType(const char* key, const char* expected) const {
        fail("{} must be {}", where(key), expected);
    }

    simdjson::dom::object m_object;
    const std::string& m_file;
};

}  // namespace

GenerationDefaults parseGenerationConfig(std::string_view text, const std::string& file,
                                         const SamplingOptions& base) {
    simdjson::dom::parser parser;
    GenerationJson json(common::parseJsonObject(parser, text, file), file);

    GenerationDefaults defaults{base, {}};
    SamplingOptions& options = defaults.options;
    options.temperature =
        json.boolean("do_sample", false) ? json.number("temperature", kHfTemperature) : 0.0;
    options.topK = json.integer("top_k", 0, kHfTopK);
    options.topP = json.number("top_p", kHfTopP);
    options.repetitionPenalty = json.number("repetition_penalty", kHfRepetitionPenalty);
    options.maxNewTokens = json.integer("max_new_tokens", 1, base.maxNewTokens);
    options.stopTokens = base.stopTokens;
    for (int64_t id : json.ids("eos_token_id"))
        options.stopTokens.push_back(id);
    try {
        checkSamplingOptions(options);
    } catch (const common::Error& error) {
        fail("{}: {}", file, error.what());
    }
    for (const SamplerSetting& setting : kUnfollowedSettings)
        if (json.find(setting.key) && json.number(setting.key, setting.neutral) != setting.neutral)
            defaults.unfollowed.push_back(setting.key);
    return defaults;
}

std::optional<GenerationDefaults> readGenerationConfig(const std::filesystem::path& folder,
                                                       const SamplingOptions& base) {
    std::filesystem::path path = folder / "generation_config.json";
    if (!std::filesystem::exists(path)) return std::nullopt;
    simdjson::padded_string text;
    if (simdjson::padded_string::load(path.string()).get(text))
        fail("{}: cannot read the file", path.string());
    return parseGenerationConfig(std::string_view(text.data(), text.size()), path.string(), base);
}

}  // namespace strata::model_spec
