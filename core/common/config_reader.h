// Reads one TOML config strictly: every key a stage reads is looked up by its dotted path, type
// errors name the file, line and key, and finish() rejects keys nobody read (typos included).
// `--set key=value` overrides are applied before reading.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_set>
#include <vector>

namespace strata::common {

class ConfigReader {
public:
    static ConfigReader fromFile(const std::filesystem::path& path);
    static ConfigReader fromString(std::string_view text, std::string sourceName);
    // An empty config: every key takes its default.
    static ConfigReader empty(std::string sourceName);

    // Applies `key.path=value`, making the tables on the way (one that is a value is an error);
    // the value is parsed as TOML, or taken as a string if it is not.
    void applyOverride(std::string_view assignment);

    // Each read leaves `value` unchanged when the key is absent.
    void read(std::string_view key, bool& value);
    void read(std::string_view key, int64_t& value);
    void read(std::string_view key, int& value);
    void read(std::string_view key, uint32_t& value);
    void read(std::string_view key, double& value);
    void read(std::string_view key, float& value);
    void read(std::string_view key, std::string& value);
    void read(std::string_view key, std::vector<std::string>& value);
    void read(std::string_view key, std::vector<int>& value);
    bool contains(std::string_view key) const;

    // Throws Error naming the first key no read() asked for: in the whole config, or in one
    // table of it (for a command that reads one table of a larger run config).
    void finish() const;
    void finishTable(std::string_view table) const;

    // "file:line: key 'a.b'" for messages about a key's value.
    std::string where(std::string_view key) const;
    const std::string& sourceName() const { return m_sourceName; }

private:
    ConfigReader(toml::table table, std::string sourceName);
    const toml::node* lookup(std::string_view key);
    [[noreturn]] void typeError(std::string_view key, std::string_view expected) const;
    void collectUnread(const toml::table& table, const std::string& prefix,
                       std::vector<std::string>& unread) const;

    toml::table m_table;
    std::string m_sourceName;
    std::unordered_set<std::string> m_readKeys;
    std::unordered_set<std::string> m_overriddenKeys;  // set by --set: errors name the flag
};

}  // namespace strata::common
