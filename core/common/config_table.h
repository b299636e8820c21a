// A config struct's keys, declared once: each key's name in its TOML table, the member it sets,
// its documentation and the check its value must pass. From the one declaration come
//   - the reading (read()), which records every invalid value with the validator, so a user sees
//     all the mistakes of a file at once;
//   - the commented TOML (text()): with default values it is what --print-default-config prints
//     and what the studio builds its forms from (config_schema.h); with a resolved config, the
//     run.toml a run reads back.
// `--set table.key=value` addresses the same dotted names (ConfigReader::applyOverride). Checks
// that relate several keys, or hold only in some configurations, stay in code after read().
#pragma once

#include "core/common/config_reader.h"
#include "core/common/config_validator.h"
#include "core/common/path_resolver.h"
#include "core/common/toml_text.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace strata::common {

// What a value must be: `ok`, and the words that finish "<file:line: key> must be ...".
template <typename Value>
struct ValueCheck {
    std::function<bool(const Value&)> ok;
    std::string what;
};

// "positive": at least 1 for whole numbers, above 0 otherwise.
template <typename Value>
ValueCheck<Value> positive() {
    return {[](const Value& v) { return std::is_integral_v<Value> ? v >= 1 : v > 0; }, "positive"};
}

// "at least MIN" and an optional note on what the bound means, e.g. " (0: no clipping)".
template <typename Value>
ValueCheck<Value> atLeast(Value min, std::string_view note = {}) {
    return {[min](const Value& v) { return v >= min; }, fmt::format("at least {}{}", min, note)};
}

// "between LOW and HIGH" (both included) and an optional note.
template <typename Value>
ValueCheck<Value> between(Value low, Value high, std::string_view note = {}) {
    return {[low, high](const Value& v) { return v >= low && v <= high; },
            fmt::format("between {} and {}{}", low, high, note)};
}

template <typename Config>
class ConfigTable {
public:
    // `name`: the table's dotted name ("model.attention"); `comment`: the lines written above
    // its header, without the "# ".
    explicit ConfigTable(std::string name, std::string comment = {})
        : m_name(std::move(name)), m_comment(std::move(comment)) {}

    // A key whose value is the member, unchecked or checked. `doc` (lines without "# ") is
    // written above it; keys that share one comment leave it empty after the first.
    template <typename Value>
    ConfigTable& key(std::string name, Value Config::*member, std::string doc = {},
                     ValueCheck<Value> check = {}) {
        return keyAt<Value>(
            std::move(name), [member](auto& config) -> auto& { return config.*member; },
            std::move(doc), std::move(check));
    }

    // A key whose value `access(config)` returns by reference, for what is not a member of its
    // own: a generic lambda, called with Config& and with const Config&.
    template <typename Value, typename Access>
    ConfigTable& keyAt(std::string name, Access access, std::string doc = {},
                       ValueCheck<Value> check = {}) {
        Key entry{std::move(name), std::move(doc), {}, {}};
        entry.read = [access, check](ConfigReader& reader, ConfigValidator& validator,
                                     const std::string& dotted, Config& config,
                                     const PathResolver&) {
            Value& value = access(config);
            readValue(reader, validator, dotted, value);
            if (check.ok) validator.require(check.ok(value), dotted, check.what);
        };
        entry.text = [access](const Config& config) { return valueText<Value>(access(config)); };
        m_keys.push_back(std::move(entry));
        return *this;
    }

    // The keys of `group` (a table of a struct that is a member here, whose name is unused),
    // as keys of this table.
    template <typename Sub>
    ConfigTable& keysOf(Sub Config::*member, const ConfigTable<Sub>& group) {
        for (const auto& subKey : group.m_keys) {
            Key entry{subKey.name, subKey.doc, {}, {}};
            entry.read = [member, read = subKey.read](ConfigReader& reader,
                                                      ConfigValidator& validator,
                                                      const std::string& dotted, Config& config,
                                                      const PathResolver& resolvePath) {
                read(reader, validator, dotted, config.*member, resolvePath);
            };
            entry.text = [member, text = subKey.text](const Config& config) {
                return text(config.*member);
            };
            m_keys.push_back(std::move(entry));
        }
        return *this;
    }

    // A key whose value is one of `names`, in the order of the enum's values.
    template <typename Enum, size_t N>
    ConfigTable& choice(std::string name, Enum Config::*member, const char* const (&names)[N],
                        std::string doc = {}) {
        Key entry{std::move(name), std::move(doc), {}, {}};
        std::vector<std::string> choices(names, names + N);
        entry.read = [member, choices](ConfigReader& reader, ConfigValidator& validator,
                                       const std::string& dotted, Config& config,
                                       const PathResolver&) {
            std::string text = choices[size_t(config.*member)];
            reader.read(dotted, text);
            for (size_t i = 0; i < choices.size(); ++i)
                if (text == choices[i]) config.*member = Enum(i);
            validator.require(text == choices[size_t(config.*member)], dotted, choiceList(choices));
        };
        entry.text = [member, choices](const Config& config) {
            return tomlString(choices[size_t(config.*member)]);
        };
        m_keys.push_back(std::move(entry));
        return *this;
    }

    // A key naming a file or folder: read() hands a non-empty value to its PathResolver.
    ConfigTable& path(std::string name, std::filesystem::path Config::*member,
                      std::string doc = {}) {
        Key entry{std::move(name), std::move(doc), {}, {}};
        entry.read = [member](ConfigReader& reader, ConfigValidator&, const std::string& dotted,
                              Config& config, const PathResolver& resolvePath) {
            std::string text = (config.*member).string();
            reader.read(dotted, text);
            config.*member = text.empty() ? std::filesystem::path() : resolvePath(text, dotted);
        };
        entry.text = [member](const Config& config) {
            return tomlString((config.*member).string());
        };
        m_keys.push_back(std::move(entry));
        return *this;
    }

    // Reads every key of the table that is present into `config` (absent keys keep its value)
    // and records each value that fails its check.
    void read(ConfigReader& reader, ConfigValidator& validator, Config& config,
              const PathResolver& resolvePath = {}) const {
        for (const Key& key : m_keys)
            key.read(reader, validator, m_name + "." + key.name, config, resolvePath);
    }

    // The table as commented TOML with the values of `config`. `leading` is written between the
    // header and the keys: keys of the table that live outside `config` (the run config's
    // train.stage, which decides what else there is to read).
    std::string text(const Config& config, std::string_view leading = {}) const {
        std::string out = commentLines(m_comment) + "[" + m_name + "]\n" + std::string(leading);
        for (const Key& key : m_keys)
            out += commentLines(key.doc) + key.name + " = " + key.text(config) + "\n";
        return out;
    }

    const std::string& name() const { return m_name; }

private:
    struct Key {
        std::string name;
        std::string doc;
        std::function<void(ConfigReader&, ConfigValidator&, const std::string&, Config&,
                           const PathResolver&)>
            read;
        std::function<std::string(const Config&)> text;
    };

    template <typename Value>
    static void readValue(ConfigReader& reader, ConfigValidator& validator,
                          const std::string& dotted, Value& value) {
        if constexpr (std::is_same_v<Value, uint64_t>) {
            // TOML integers are signed: read as one, and refuse a negative seed or count.
            int64_t signedValue = int64_t(value);
            reader.read(dotted, signedValue);
            validator.require(signedValue >= 0, dotted, "at least 0");
            if (signedValue >= 0) value = uint64_t(signedValue);
        } else {
            reader.read(dotted, value);
        }
    }

    template <typename Value>
    static std::string valueText(const Value& value) {
        if constexpr (std::is_same_v<Value, bool>)
            return tomlBool(value);
        else if constexpr (std::is_floating_point_v<Value>)
            return tomlFloat(value);
        else if constexpr (std::is_same_v<Value, std::string>)
            return tomlString(value);
        else if constexpr (std::is_same_v<Value, std::vector<std::string>>)
            return tomlStrings(value);
        else if constexpr (std::is_same_v<Value, std::vector<int>>)
            return fmt::format("[{}]", fmt::join(value, ", "));
        else
            return fmt::format("{}", value);
    }

    static std::string choiceList(const std::vector<std::string>& choices) {
        std::string list;
        for (size_t i = 0; i < choices.size(); ++i)
            list += fmt::format("{}\"{}\"",
                                i == 0                    ? ""
                                : i + 1 == choices.size() ? " or "
                                                          : ", ",
                                choices[i]);
        return list;
    }

    static std::string commentLines(const std::string& text) {
        if (text.empty()) return {};
        std::string out;
        size_t start = 0;
        while (start <= text.size()) {
            size_t end = text.find('\n', start);
            if (end == std::string::npos) end = text.size();
            out += "# " + text.substr(start, end - start) + "\n";
            start = end + 1;
        }
        return out;
    }

    template <typename>
    friend class ConfigTable;

    std::string m_name;
    std::string m_comment;
    std::vector<Key> m_keys;
};

}  // namespace strata::common
