#include "core/common/toml_text.h"

#include "core/common/json_writer.h"

#include <fmt/format.h>

namespace strata::common {

std::string tomlFloat(double value) {
    std::string text = fmt::format("{}", value);
    if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
    return text;
}

std::string tomlBool(bool value) {
    return value ? "true" : "false";
}

// TOML's basic strings escape like JSON's for everything a config holds.
std::string tomlString(const std::string& value) {
    std::string text;
    appendJsonString(text, value);
    return text;
}

std::string tomlStrings(const std::vector<std::string>& values) {
    std::string text = "[";
    for (size_t i = 0; i < values.size(); ++i)
        text += (i ? ", " : "") + tomlString(values[i]);
    return text + "]";
}

}  // namespace strata::common
