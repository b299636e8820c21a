// The argument table of one strata-cli command: options, flags and positionals declared once,
// from which both parsing and --help come. Errors are one line naming the argument; strata-cli's
// main() puts the command in front.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace strata::app {

class ParsedArgs {
public:
    bool helpRequested = false;

    bool flag(std::string_view name) const;
    bool has(std::string_view name) const;
    std::string value(std::string_view name, std::string fallback = {}) const;
    std::vector<std::string> values(std::string_view name) const;
    // Parses an integer option, failing with the option's name when it is not one.
    int64_t intValue(std::string_view name, int64_t fallback) const;
    double doubleValue(std::string_view name, double fallback) const;
    const std::vector<std::string>& positionals() const { return m_positionals; }

private:
    friend class ArgParser;
    std::map<std::string, std::vector<std::string>, std::less<>> m_values;
    std::vector<std::string> m_positionals;
};

class ArgParser {
public:
    // `command` is what the user typed, e.g. "strata-cli clean"; `usage` the synopsis after it.
    ArgParser(std::string command, std::string usage, std::string summary);

    // A valued option: --name VALUE, --name=VALUE or -s VALUE. Repeats collect every value.
    ArgParser& option(std::string name, char shortName, std::string valueName, std::string help);
    ArgParser& flag(std::string name, char shortName, std::string help);
    // Positional arguments, in order; maxCount -1 means any number.
    ArgParser& positional(std::string name, int minCount, int maxCount, std::string help);

    ParsedArgs parse(const std::vector<std::string>& args) const;
    std::string help() const;

private:
    struct Option {
        std::string name;
        char shortName;
        std::string valueName;  // empty for flags
        std::string help;
    };
    struct Positional {
        std::string name;
        int minCount;
        int maxCount;
        std::string help;
    };
    const Option* findLong(std::string_view name) const;
    const Option* findShort(char name) const;

    std::string m_command;
    std::string m_usage;
    std::string m_summary;
    std::vector<Option> m_options;
    std::vector<Positional> m_positionals;
};

}  // namespace strata::app
