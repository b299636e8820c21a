// A config's keys described by its commented default text (what --print-default-config prints):
// tables and keys in file order, each key's kind and default, and the comments above them. The
// studio builds its settings forms from it, so a form always offers every key a command reads,
// with the command's own documentation as help. Values travel in a display form: strings as
// they are, string lists joined by ", ", booleans and numbers as TOML writes them.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace strata::common {

enum class ConfigValueKind { Bool, Integer, Float, String, StringList };

struct ConfigField {
    std::string key;      // dotted: "words.min"
    std::string comment;  // the comment lines directly above the key, joined by spaces
    ConfigValueKind kind = ConfigValueKind::String;
    std::string defaultValue;  // display form
};

struct ConfigTable {
    std::string name;     // "words"; empty for keys before the first table
    std::string comment;  // the comment lines directly below the table's header
    std::vector<ConfigField> fields;
};

using ConfigValues = std::map<std::string, std::string>;  // dotted key → display form

// Parses the commented default config. Throws Error for text that is not TOML, or for a value
// of a kind a form cannot edit (nested tables deeper than one level, arrays of non-strings).
std::vector<ConfigTable> describeConfig(std::string_view commentedDefaults);

// Every key's default, in display form.
ConfigValues defaultValues(const std::vector<ConfigTable>& schema);

// The values a config file sets, over the defaults. Throws Error naming "source:line" and the
// key for text that is not TOML, a key the schema does not have, or a value of the wrong kind.
ConfigValues readConfigValues(const std::vector<ConfigTable>& schema, std::string_view text,
                              const std::string& sourceName);

// TOML text holding the values that differ from the defaults, under `header` (comment lines).
// Throws Error naming the key for a value its kind cannot hold ("words.min: 'ten' is not a
// whole number").
std::string writeConfigValues(const std::vector<ConfigTable>& schema, const ConfigValues& values,
                              std::string_view header);

}  // namespace strata::common
