#include "core/common/config_schema.h"

#include "core/common/error.h"
#include "core/common/toml_text.h"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace strata::common {

namespace {

std::string_view trimmed(std::string_view text) {
    size_t begin = text.find_first_not_of(" \t\r");
    if (begin == std::string_view::npos) return {};
    size_t end = text.find_last_not_of(" \t\r");
    return text.substr(begin, end - begin + 1);
}

std::vector<std::string_view> splitLines(std::string_view text) {
    std::vector<std::string_view> lines;
    for (size_t start = 0; start <= text.size();) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

// The comment block ending on the line above `line` (1-based): its first line and its text.
std::pair<size_t, std::string> commentAbove(const std::vector<std::string_view>& lines,
                                            size_t line) {
    size_t first = line;
    while (first > 1 && trimmed(lines[first - 2]).starts_with('#'))
        --first;
    std::string text;
    for (size_t i = first; i < line; ++i) {
        std::string_view body = trimmed(lines[i - 1]).substr(1);
        if (!text.empty()) text += ' ';
        text += trimmed(body);
    }
    return {first, text};
}

bool isStringArray(const toml::node& node) {
    const toml::array* array = node.as_array();
    return array && std::all_of(array->begin(), array->end(),
                                [](const toml::node& item) { return item.is_string(); });
}

// In the order of the enum's values.
constexpr const char* kKindNames[] = {"true or false", "a whole number", "a number", "a string",
                                      "a list of strings"};

const char* kindName(ConfigValueKind kind) {
    return kKindNames[size_t(kind)];
}

// The node's kind, or false when a form cannot edit it.
bool kindOf(const toml::node& node, ConfigValueKind& kind) {
    if (node.is_boolean())
        kind = ConfigValueKind::Bool;
    else if (node.is_integer())
        kind = ConfigValueKind::Integer;
    else if (node.is_floating_point())
        kind = ConfigValueKind::Float;
    else if (node.is_string())
        kind = ConfigValueKind::String;
    else if (isStringArray(node))
        kind = ConfigValueKind::StringList;
    else
        return false;
    return true;
}

std::string displayForm(const toml::node& node) {
    if (node.is_boolean()) return tomlBool(*node.value<bool>());
    if (node.is_integer()) return std::to_string(*node.value<int64_t>());
    if (node.is_floating_point()) return tomlFloat(*node.value<double>());
    if (node.is_string()) return *node.value<std::string>();
    std::string joined;
    for (const toml::node& item : *node.as_array())
        joined += (joined.empty() ? "" : ", ") + *item.value<std::string>();
    return joined;
}

// The value a display form stands for, as TOML text; throws naming the key.
std::string tomlValue(const ConfigField& field, std::string_view shown) {
    std::string_view text = trimmed(shown);
    switch (field.kind) {
        case ConfigValueKind::Bool:
            if (text != "true" && text != "false")
                fail("{}: '{}' is not true or false", field.key, text);
            return std::string(text);
        case ConfigValueKind::Integer: {
            int64_t value = 0;
            auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (text.empty() || error != std::errc() || end != text.data() + text.size())
                fail("{}: '{}' is not a whole number", field.key, text);
            return std::to_string(value);
        }
        case ConfigValueKind::Float: {
            // from_chars, not strtod: the GUI runs under the user's locale, where "0.5" may not
            // be a number to strtod.
            double value = 0;
            auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
                !std::isfinite(value))
                fail("{}: '{}' is not a number", field.key, text);
            return tomlFloat(value);
        }
        case ConfigValueKind::String:
            return tomlString(std::string(shown));
        case ConfigValueKind::StringList: {
            std::vector<std::string> items;
            for (size_t start = 0; start <= text.size();) {
                size_t comma = text.find(',', start);
                if (comma == std::string_view::npos) comma = text.size();
                std::string_view item = trimmed(text.substr(start, comma - start));
                if (!item.empty()) items.emplace_back(item);
                start = comma + 1;
            }
            return tomlStrings(items);
        }
    }
    return {};
}

const ConfigField* findField(const std::vector<ConfigTable>& schema, std::string_view key) {
    for (const ConfigTable& table : schema)
        for (const ConfigField& field : table.fields)
            if (field.key == key) return &field;
    return nullptr;
}

}  // namespace

std::vector<ConfigTable> describeConfig(std::string_view commentedDefaults) {
    toml::table root;
    try {
        root = toml::parse(commentedDefaults, std::string("the default config"));
    } catch (const toml::parse_error& error) {
        fail("the default config:{}: {}", error.source().begin.line, error.description());
    }
    std::vector<std::string_view> lines = splitLines(commentedDefaults);

    struct Placed {
        size_t line;
        ConfigTable table;
    };
    std::vector<Placed> placed;
    Placed topLevel{0, {}};
    auto addField = [&](ConfigTable& table, const std::string& key, const toml::node& node) {
        ConfigField field;
        field.key = table.name.empty() ? key : table.name + "." + key;
        if (!kindOf(node, field.kind))
            fail("the default config: key '{}' is not a value a form can edit", field.key);
        field.defaultValue = displayForm(node);
        field.comment = commentAbove(lines, node.source().begin.line).second;
        table.fields.push_back(std::move(field));
    };
    auto byLine = [](const toml::table& table) {
        std::vector<std::pair<std::string, const toml::node*>> entries;
        for (const auto& [key, node] : table)
            entries.emplace_back(std::string(key.str()), &node);
        std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
            return a.second->source().begin.line < b.second->source().begin.line;
        });
        return entries;
    };
    for (const auto& [key, node] : byLine(root)) {
        const toml::table* child = node->as_table();
        if (!child) {
            addField(topLevel.table, key, *node);
            continue;
        }
        Placed table{node->source().begin.line, {key, {}, {}}};
        auto entries = byLine(*child);
        for (const auto& [childKey, childNode] : entries) {
            if (childNode->is_table())
                fail("the default config: table '{}.{}' is nested too deep for a form", key,
                     childKey);
            addField(table.table, childKey, *childNode);
        }
        // A comment that starts right under the header describes the table, not its first key.
        if (!table.table.fields.empty()) {
            size_t firstLine = entries.front().second->source().begin.line;
            auto [commentStart, comment] = commentAbove(lines, firstLine);
            if (!comment.empty() && commentStart == table.line + 1) {
                table.table.comment = comment;
                table.table.fields.front().comment.clear();
            }
        }
        placed.push_back(std::move(table));
    }
    std::sort(placed.begin(), placed.end(),
              [](const Placed& a, const Placed& b) { return a.line < b.line; });
    std::vector<ConfigTable> schema;
    if (!topLevel.table.fields.empty()) schema.push_back(std::move(topLevel.table));
    for (Placed& table : placed)
        schema.push_back(std::move(table.table));
    return schema;
}

ConfigValues defaultValues(const std::vector<ConfigTable>& schema) {
    ConfigValues values;
    for (const ConfigTable& table : schema)
        for (const ConfigField& field : table.fields)
            values[field.key] = field.defaultValue;
    return values;
}

ConfigValues readConfigValues(const std::vector<ConfigTable>& schema, std::string_view text,
                              const std::string& sourceName) {
    toml::table root;
    try {
        root = toml::parse(text, sourceName);
    } catch (const toml::parse_error& error) {
        fail("{}:{}: {}", sourceName, error.source().begin.line, error.description());
    }
    ConfigValues values = defaultValues(schema);
    auto take = [&](const std::string& key, const toml::node& node) {
        const ConfigField* field = findField(schema, key);
        if (!field) fail("{}:{}: unknown key '{}'", sourceName, node.source().begin.line, key);
        ConfigValueKind kind;
        // An empty array is a string list too (isStringArray holds for it).
        bool fits = kindOf(node, kind) &&
                    (kind == field->kind ||
                     (field->kind == ConfigValueKind::Float && kind == ConfigValueKind::Integer));
        if (!fits)
            fail("{}:{}: key '{}' must be {}", sourceName, node.source().begin.line, key,
                 kindName(field->kind));
        values[key] = field->kind == ConfigValueKind::Float && kind == ConfigValueKind::Integer
                          ? tomlFloat(double(*node.value<int64_t>()))
                          : displayForm(node);
    };
    root.for_each([&](const toml::key& key, const auto& node) {
        if constexpr (toml::is_table<decltype(node)>) {
            for (const auto& [childKey, child] : node)
                take(std::string(key.str()) + "." + std::string(childKey.str()), child);
        } else {
            take(std::string(key.str()), node);
        }
    });
    return values;
}

std::string writeConfigValues(const std::vector<ConfigTable>& schema, const ConfigValues& values,
                              std::string_view header) {
    std::string text(header);
    for (const ConfigTable& table : schema) {
        std::string body;
        for (const ConfigField& field : table.fields) {
            auto found = values.find(field.key);
            if (found == values.end()) continue;
            std::string value = tomlValue(field, found->second);
            if (value == tomlValue(field, field.defaultValue)) continue;
            std::string_view name =
                std::string_view(field.key).substr(table.name.empty() ? 0 : table.name.size() + 1);
            body += std::string(name) + " = " + value + "\n";
        }
        if (body.empty()) continue;
        if (!text.empty()) text += "\n";
        if (!table.name.empty()) text += "[" + table.name + "]\n";
        text += body;
    }
    return text;
}

}  // namespace strata::common
