// Collects every invalid value of a config, each naming its file:line and key, and throws them
// together as one line: a user fixes all the mistakes at once instead of one per run.
#pragma once

#include "core/common/config_reader.h"
#include "core/common/error.h"

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

namespace strata::common {

class ConfigValidator {
public:
    explicit ConfigValidator(const ConfigReader& reader) : m_reader(reader) {}

    // Records "<where key> must be <what>" unless ok.
    void require(bool ok, std::string_view key, std::string_view what) {
        if (!ok) m_errors.push_back(fmt::format("{} must be {}", m_reader.where(key), what));
    }
    void fraction(double value, std::string_view key) {
        require(value >= 0.0 && value <= 1.0, key, "between 0 and 1");
    }
    // Throws Error with every recorded problem, separated by "; ".
    void finish() const {
        if (m_errors.empty()) return;
        std::string message = m_errors.front();
        for (size_t i = 1; i < m_errors.size(); ++i)
            message += "; " + m_errors[i];
        throw Error(message);
    }

private:
    const ConfigReader& m_reader;
    std::vector<std::string> m_errors;
};

}  // namespace strata::common
