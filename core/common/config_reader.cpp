#include "core/common/config_reader.h"

#include "core/common/error.h"

#include <fmt/format.h>

#include <limits>

namespace strata::common {

namespace {

std::string lineOf(const toml::source_region& region, const std::string& sourceName) {
    if (region.begin.line == 0) return sourceName;
    return fmt::format("{}:{}", sourceName, region.begin.line);
}

// Sets `key.path=value` in `root`, making the tables on the way. Returns the key.
std::string applyAssignment(toml::table& root, std::string_view assignment) {
    size_t equals = assignment.find('=');
    if (equals == std::string_view::npos || equals == 0)
        fail("--set {}: expected key=value", assignment);
    std::string key(assignment.substr(0, equals));
    std::string text(assignment.substr(equals + 1));

    toml::table* table = &root;
    size_t start = 0;
    for (size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1) {
        std::string part = key.substr(start, dot - start);
        if (table->contains(part) && !(*table)[part].is_table())
            fail("--set {}: {} must be a table ([{}]), not a value", key, key.substr(0, dot),
                 key.substr(0, dot));
        auto* child = (*table)[part].as_table();
        if (!child) {
            table->insert_or_assign(part, toml::table{});
            child = (*table)[part].as_table();
        }
        table = child;
    }
    std::string leaf = key.substr(start);
    try {
        toml::table parsed = toml::parse("value = " + text);
        table->insert_or_assign(leaf, *parsed.get("value"));
    } catch (const toml::parse_error&) {
        table->insert_or_assign(leaf, text);
    }
    return key;
}

}  // namespace

ConfigReader::ConfigReader(toml::table table, std::string sourceName)
    : m_table(std::move(table)), m_sourceName(std::move(sourceName)) {}

ConfigReader ConfigReader::fromFile(const std::filesystem::path& path) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        fail("{}: cannot read config: no such file", path.string());
    try {
        return ConfigReader(toml::parse_file(path.string()), path.string());
    } catch (const toml::parse_error& e) {
        fail("{}:{}: {}", path.string(), e.source().begin.line, e.description());
    }
}

ConfigReader ConfigReader::fromString(std::string_view text, std::string sourceName) {
    try {
        return ConfigReader(toml::parse(text, sourceName), sourceName);
    } catch (const toml::parse_error& e) {
        fail("{}:{}: {}", sourceName, e.source().begin.line, e.description());
    }
}

ConfigReader ConfigReader::empty(std::string sourceName) {
    return ConfigReader(toml::table{}, std::move(sourceName));
}

void ConfigReader::applyOverride(std::string_view assignment) {
    m_overriddenKeys.insert(applyAssignment(m_table, assignment));
}

const toml::node* ConfigReader::lookup(std::string_view key) {
    m_readKeys.emplace(key);
    return m_table.at_path(key).node();
}

bool ConfigReader::contains(std::string_view key) const {
    return m_table.at_path(key).node() != nullptr;
}

std::string ConfigReader::where(std::string_view key) const {
    if (m_overriddenKeys.count(std::string(key))) return fmt::format("--set key '{}'", key);
    const toml::node* node = m_table.at_path(key).node();
    std::string place = node ? lineOf(node->source(), m_sourceName) : m_sourceName;
    return fmt::format("{}: key '{}'", place, key);
}

void ConfigReader::typeError(std::string_view key, std::string_view expected) const {
    fail("{} must be {}", where(key), expected);
}

void ConfigReader::read(std::string_view key, bool& value) {
    const toml::node* node = lookup(key);
    if (!node) return;
    if (!node->is_boolean()) typeError(key, "true or false");
    value = node->as_boolean()->get();
}

void ConfigReader::read(std::string_view key, int64_t& value) {
    const toml::node* node = lookup(key);
    if (!node) return;
    if (!node->is_integer()) typeError(key, "an integer");
    value = node->as_integer()->get();
}

void ConfigReader::read(std::string_view key, int& value) {
    int64_t wide = value;
    read(key, wide);
    if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max())
        typeError(key, "a 32-bit integer");
    value = int(wide);
}

void ConfigReader::read(std::string_view key, uint32_t& value) {
    int64_t wide = value;
    read(key, wide);
    if (wide < 0 || wide > std::numeric_limits<uint32_t>::max())
        typeError(key, "a non-negative 32-bit integer");
    value = uint32_t(wide);
}

void ConfigReader::read(std::string_view key, double& value) {
    const toml::node* node = lookup(key);
    if (!node) return;
    if (auto* number = node->as_floating_point()) {
        value = number->get();
    } else if (auto* integer = node->as_integer()) {
        value = double(integer->get());
    } else {
        typeError(key, "a number");
    }
}

void ConfigReader::read(std::string_view key, float& value) {
    double wide = value;
    read(key, wide);
    value = float(wide);
}

void ConfigReader::read(std::string_view key, std::string& value) {
    const toml::node* node = lookup(key);
    if (!node) return;
    if (!node->is_string()) typeError(key, "a string");
    value = node->as_string()->get();
}

void ConfigReader::read(std::string_view key, std::vector<std::string>& value) {
    const toml::node* node = lookup(key);
    if (!node) return;
    const toml::array* array = node->as_array();
    if (!array) typeError(key, "an array of strings");
    std::vector<std::string> items;
    for (const toml::node& item : *array) {
        if (!item.is_string()) typeError(key, "an array of strings");
        items.push_back(item.as_string()->get());
    }
    value = std::move(items);
}

void ConfigReader::read(std::string_view key, std::vector<int>& value) {
    const toml::node* node = lookup(key);
    if (!node) return;
    const toml::array* array = node->as_array();
    if (!array) typeError(key, "an array of integers");
    std::vector<int> items;
    for (const toml::node& item : *array) {
        const auto* integer = item.as_integer();
        if (!integer || integer->get() < std::numeric_limits<int>::min() ||
            integer->get() > std::numeric_limits<int>::max())
            typeError(key, "an array of 32-bit integers");
        items.push_back(int(integer->get()));
    }
    value = std::move(items);
}

void ConfigReader::collectUnread(const toml::table& table, const std::string& prefix,
                                 std::vector<std::string>& unread) const {
    for (const auto& [name, node] : table) {
        std::string key =
            prefix.empty() ? std::string(name.str()) : prefix + "." + std::string(name.str());
        if (m_readKeys.count(key)) continue;
        if (const toml::table* child = node.as_table()) {
            collectUnread(*child, key, unread);
        } else {
            unread.push_back(key);
        }
    }
}

void ConfigReader::finish() const {
    std::vector<std::string> unread;
    collectUnread(m_table, "", unread);
    if (!unread.empty()) fail("{} is not a known setting", where(unread.front()));
}

void ConfigReader::finishTable(std::string_view table) const {
    const toml::table* child = m_table.at_path(table).as_table();
    if (!child) return;
    std::vector<std::string> unread;
    collectUnread(*child, std::string(table), unread);
    if (!unread.empty()) fail("{} is not a known setting", where(unread.front()));
}

}  // namespace strata::common
