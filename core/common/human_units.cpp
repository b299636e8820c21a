#include "core/common/human_units.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace strata::common {

std::string humanCount(double value, const char* unit) {
    const char* suffixes[] = {"", "K", "M", "B", "T"};
    int i = 0;
    while (value >= 1000 && i < 4) {
        value /= 1000;
        ++i;
    }
    std::string space = *unit ? " " : "";
    return i == 0 ? fmt::format("{:.0f}{}{}", value, space, unit)
                  : fmt::format("{:.1f}{}{}{}", value, space, suffixes[i], unit);
}

std::string humanBytes(uint64_t bytes) {
    double value = double(bytes);
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int i = 0;
    while (value >= 1024 && i < 4) {
        value /= 1024;
        ++i;
    }
    return fmt::format("{:.1f} {}", value, units[i]);
}

std::string exactBytes(uint64_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int i = 0;
    while (bytes != 0 && bytes % 1024 == 0 && i < 4) {
        bytes /= 1024;
        ++i;
    }
    return fmt::format("{} {}", bytes, units[i]);
}

std::optional<uint64_t> parseBytes(std::string_view text) {
    auto isSpace = [](char c) { return c == ' ' || c == '\t'; };
    while (!text.empty() && isSpace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back()))
        text.remove_suffix(1);
    size_t digits = 0;
    while (digits < text.size() && (std::isdigit(uint8_t(text[digits])) || text[digits] == '.'))
        ++digits;
    std::string number(text.substr(0, digits));
    std::string_view unit = text.substr(digits);
    while (!unit.empty() && isSpace(unit.front()))
        unit.remove_prefix(1);
    if (number.empty() || number.front() == '.' || number.back() == '.' ||
        std::count(number.begin(), number.end(), '.') > 1)
        return std::nullopt;

    struct Unit {
        const char* name;
        double scale;
    };
    static const Unit kUnits[] = {
        {"", 1},         {"b", 1},    {"kib", 0x1p10}, {"mib", 0x1p20}, {"gib", 0x1p30},
        {"tib", 0x1p40}, {"kb", 1e3}, {"mb", 1e6},     {"gb", 1e9},     {"tb", 1e12}};
    std::string lower(unit);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return char(std::tolower(uint8_t(c))); });
    const Unit* found = std::find_if(std::begin(kUnits), std::end(kUnits),
                                     [&](const Unit& u) { return lower == u.name; });
    if (found == std::end(kUnits)) return std::nullopt;
    // A whole number of bytes below 2^53 is exact in a double; sizes beyond that are refused.
    double value = 0;
    std::from_chars(number.data(), number.data() + number.size(), value);  // not the C locale's
    const double bytes = value * found->scale;
    if (bytes >= 0x1p53 || bytes != std::floor(bytes)) return std::nullopt;
    return uint64_t(bytes);
}

}  // namespace strata::common
