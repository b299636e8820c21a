#include "core/store/config_diff.h"

#include "core/common/error.h"
#include "core/common/toml_text.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cctype>
#include <sstream>

namespace strata::store {

namespace {

bool isBareKey(std::string_view key) {
    if (key.empty()) return false;
    for (char c : key)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
    return true;
}

std::string keyText(std::string_view key) {
    return isBareKey(key) ? std::string(key) : common::tomlString(std::string(key));
}

template <typename T>
std::string streamed(const T& value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

std::string valueText(const toml::node& node);

std::string inlineTableText(const toml::table& table) {
    std::string text = "{";
    for (auto&& [key, value] : table)
        text += fmt::format("{}{} = {}", text.size() > 1 ? ", " : "", keyText(key.str()),
                            valueText(value));
    return text + "}";
}

std::string valueText(const toml::node& node) {
    if (auto* value = node.as_string()) return common::tomlString(value->get());
    if (auto* value = node.as_integer()) return fmt::format("{}", value->get());
    if (auto* value = node.as_floating_point()) return common::tomlFloat(value->get());
    if (auto* value = node.as_boolean()) return common::tomlBool(value->get());
    if (auto* value = node.as_date()) return streamed(value->get());
    if (auto* value = node.as_time()) return streamed(value->get());
    if (auto* value = node.as_date_time()) return streamed(value->get());
    if (auto* table = node.as_table()) return inlineTableText(*table);
    std::string text = "[";
    for (const toml::node& item : *node.as_array())
        text += (text.size() > 1 ? ", " : "") + valueText(item);
    return text + "]";
}

bool isArrayOfTables(const toml::node& node) {
    const toml::array* array = node.as_array();
    return array && !array->empty() && array->is_array_of_tables();
}

void flattenInto(const toml::table& table, const std::string& prefix,
                 std::map<std::string, std::string>& out) {
    for (auto&& [key, node] : table) {
        std::string path = prefix + keyText(key.str());
        if (const toml::table* child = node.as_table()) {
            flattenInto(*child, path + ".", out);
        } else if (isArrayOfTables(node)) {
            const toml::array& array = *node.as_array();
            for (size_t i = 0; i < array.size(); ++i)
                flattenInto(*array[i].as_table(), fmt::format("{}.{}.", path, i), out);
        } else {
            out[path] = valueText(node);
        }
    }
}

}  // namespace

std::map<std::string, std::string> flattenToml(std::string_view text, std::string_view sourceName) {
    toml::table table;
    try {
        table = toml::parse(text, sourceName);
    } catch (const toml::parse_error& error) {
        common::fail("{}:{}: {}", sourceName, error.source().begin.line, error.description());
    }
    std::map<std::string, std::string> flat;
    flattenInto(table, "", flat);
    return flat;
}

std::vector<ConfigDifference> configDifferences(const std::map<std::string, std::string>& left,
                                                const std::map<std::string, std::string>& right,
                                                bool allKeys) {
    std::vector<ConfigDifference> differences;
    auto l = left.begin();
    auto r = right.begin();
    // A merge of the two sorted maps: a key on one side only differs from "absent".
    while (l != left.end() || r != right.end()) {
        if (r == right.end() || (l != left.end() && l->first < r->first)) {
            differences.push_back({l->first, l->second, ""});
            ++l;
        } else if (l == left.end() || r->first < l->first) {
            differences.push_back({r->first, "", r->second});
            ++r;
        } else {
            if (allKeys || l->second != r->second)
                differences.push_back({l->first, l->second, r->second});
            ++l;
            ++r;
        }
    }
    return differences;
}

}  // namespace strata::store
