#include "core/jinja/arguments.h"

namespace strata::jinja {

ArgumentReader::ArgumentReader(std::string_view function, const CallArguments& arguments,
                               std::initializer_list<std::string_view> parameters)
    : m_function(function), m_names(parameters), m_values(parameters.size(), nullptr) {
    if (arguments.positional.size() > m_names.size())
        raise("{}() takes at most {} arguments ({} given)", m_function, m_names.size(),
              arguments.positional.size());
    for (size_t i = 0; i < arguments.positional.size(); ++i)
        m_values[i] = &arguments.positional[i];
    for (const auto& [key, value] : arguments.keyword) {
        size_t index = 0;
        while (index < m_names.size() && m_names[index] != key)
            ++index;
        if (index == m_names.size())
            raise("{}() got an unexpected keyword argument '{}'", m_function, key);
        if (m_values[index]) raise("{}() got multiple values for argument '{}'", m_function, key);
        m_values[index] = &value;
    }
}

Value ArgumentReader::get(size_t index) const {
    return m_values[index] ? *m_values[index] : Value();
}

Value ArgumentReader::get(size_t index, Value fallback) const {
    return m_values[index] ? *m_values[index] : std::move(fallback);
}

void ArgumentReader::require(size_t index) const {
    if (!m_values[index]) raise("{}() missing required argument '{}'", m_function, m_names[index]);
}

std::string ArgumentReader::getString(size_t index) const {
    require(index);
    if (!m_values[index]->isString())
        raise("{}() argument '{}' must be str, not {}", m_function, m_names[index],
              m_values[index]->typeName());
    return m_values[index]->asString();
}

int64_t ArgumentReader::getInt(size_t index, int64_t fallback) const {
    if (!m_values[index] || m_values[index]->isNone()) return fallback;
    if (!m_values[index]->isInt())
        raise("{}() argument '{}' must be int, not {}", m_function, m_names[index],
              m_values[index]->typeName());
    return m_values[index]->asInt();
}

bool ArgumentReader::getBool(size_t index, bool fallback) const {
    return m_values[index] ? m_values[index]->truthy() : fallback;
}

}  // namespace strata::jinja
