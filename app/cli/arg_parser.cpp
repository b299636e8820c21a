#include "app/cli/arg_parser.h"

#include "core/common/error.h"

#include <charconv>

namespace strata::app {

using common::fail;

bool ParsedArgs::flag(std::string_view name) const {
    return m_values.count(name) > 0;
}

bool ParsedArgs::has(std::string_view name) const {
    return m_values.count(name) > 0;
}

std::string ParsedArgs::value(std::string_view name, std::string fallback) const {
    auto it = m_values.find(name);
    return it == m_values.end() || it->second.empty() ? fallback : it->second.back();
}

std::vector<std::string> ParsedArgs::values(std::string_view name) const {
    auto it = m_values.find(name);
    return it == m_values.end() ? std::vector<std::string>{} : it->second;
}

int64_t ParsedArgs::intValue(std::string_view name, int64_t fallback) const {
    if (!has(name)) return fallback;
    std::string text = value(name);
    int64_t result = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), result);
    if (error != std::errc() || end != text.data() + text.size())
        fail("--{} expects an integer, got '{}'", name, text);
    return result;
}

double ParsedArgs::doubleValue(std::string_view name, double fallback) const {
    if (!has(name)) return fallback;
    std::string text = value(name);
    double result = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), result);
    if (error != std::errc() || end != text.data() + text.size())
        fail("--{} expects a number, got '{}'", name, text);
    return result;
}

ArgParser::ArgParser(std::string command, std::string usage, std::string summary)
    : m_command(std::move(command)), m_usage(std::move(usage)), m_summary(std::move(summary)) {
    flag("help", 'h', "show this help and exit");
}

ArgParser& ArgParser::option(std::string name, char shortName, std::string valueName,
                             std::string help) {
    m_options.push_back({std::move(name), shortName, std::move(valueName), std::move(help)});
    return *this;
}

ArgParser& ArgParser::flag(std::string name, char shortName, std::string help) {
    m_options.push_back({std::move(name), shortName, "", std::move(help)});
    return *this;
}

ArgParser& ArgParser::positional(std::string name, int minCount, int maxCount, std::string help) {
    m_positionals.push_back({std::move(name), minCount, maxCount, std::move(help)});
    return *this;
}

const ArgParser::Option* ArgParser::findLong(std::string_view name) const {
    for (const Option& option : m_options)
        if (option.name == name) return &option;
    return nullptr;
}

const ArgParser::Option* ArgParser::findShort(char name) const {
    for (const Option& option : m_options)
        if (option.shortName != 0 && option.shortName == name) return &option;
    return nullptr;
}

ParsedArgs ArgParser::parse(const std::vector<std::string>& args) const {
    ParsedArgs parsed;
    std::vector<std::string> loose;
    bool optionsEnded = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (optionsEnded || arg.size() < 2 || arg[0] != '-') {
            loose.push_back(arg);
            continue;
        }
        if (arg == "--") {
            optionsEnded = true;
            continue;
        }
        const Option* option = nullptr;
        std::string inlineValue;
        bool hasInlineValue = false;
        if (arg.rfind("--", 0) == 0) {
            std::string_view body = std::string_view(arg).substr(2);
            size_t equals = body.find('=');
            if (equals != std::string_view::npos) {
                inlineValue = std::string(body.substr(equals + 1));
                hasInlineValue = true;
                body = body.substr(0, equals);
            }
            option = findLong(body);
        } else if (arg.size() == 2) {
            option = findShort(arg[1]);
        }
        if (!option) {
            // A lone "-" or a negative number is a positional ("-" reads stdin).
            if (arg == "-" ||
                (arg.size() > 1 && std::isdigit(static_cast<unsigned char>(arg[1])))) {
                loose.push_back(arg);
                continue;
            }
            fail("unknown option '{}' (see --help)", arg);
        }
        std::vector<std::string>& slot = parsed.m_values[option->name];
        if (option->valueName.empty()) {
            if (hasInlineValue) fail("--{} takes no value", option->name);
            slot.push_back("1");
        } else if (hasInlineValue) {
            slot.push_back(inlineValue);
        } else {
            if (i + 1 >= args.size())
                fail("--{} needs a value ({})", option->name, option->valueName);
            slot.push_back(args[++i]);
        }
    }
    parsed.helpRequested = parsed.flag("help");
    if (parsed.helpRequested) return parsed;

    size_t next = 0;
    for (const Positional& positional : m_positionals) {
        size_t available = loose.size() - next;
        size_t take = positional.maxCount < 0
                          ? available
                          : std::min<size_t>(available, size_t(positional.maxCount));
        if (take < size_t(positional.minCount)) fail("missing {} (see --help)", positional.name);
        for (size_t k = 0; k < take; ++k)
            parsed.m_positionals.push_back(loose[next++]);
    }
    if (next < loose.size()) fail("unexpected argument '{}' (see --help)", loose[next]);
    return parsed;
}

std::string ArgParser::help() const {
    std::string text = "usage: " + m_command + " " + m_usage + "\n\n" + m_summary + "\n";
    if (!m_positionals.empty()) {
        text += "\narguments:\n";
        for (const Positional& positional : m_positionals)
            text += "  " + positional.name +
                    std::string(std::max<int>(2, 26 - int(positional.name.size())), ' ') +
                    positional.help + "\n";
    }
    text += "\noptions:\n";
    for (const Option& option : m_options) {
        std::string left = option.shortName ? std::string("-") + option.shortName + ", " : "    ";
        left += "--" + option.name;
        if (!option.valueName.empty()) left += " " + option.valueName;
        text += "  " + left + std::string(std::max<int>(2, 26 - int(left.size())), ' ') +
                option.help + "\n";
    }
    return text;
}

}  // namespace strata::app
