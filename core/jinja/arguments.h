// Binds a call's positional and keyword arguments to a Python-style parameter list, for the
// filters, tests, methods and globals written in C++: `indent(width=2)` and `indent(2)` read alike.
#pragma once

#include "core/jinja/value.h"

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace strata::jinja {

class ArgumentReader {
public:
    // Raises TemplateError when `arguments` has more positional values than `parameters`, a
    // keyword that is not one of them, or a parameter given twice.
    ArgumentReader(std::string_view function, const CallArguments& arguments,
                   std::initializer_list<std::string_view> parameters);

    bool has(size_t index) const { return m_values[index] != nullptr; }
    // The argument, or undefined when it was not given.
    Value get(size_t index) const;
    Value get(size_t index, Value fallback) const;
    // The argument as a str / int / bool, raising a TemplateError naming the function otherwise.
    std::string getString(size_t index) const;
    int64_t getInt(size_t index, int64_t fallback) const;
    bool getBool(size_t index, bool fallback) const;
    // Raises unless the argument was given.
    void require(size_t index) const;

private:
    std::string m_function;
    std::vector<std::string_view> m_names;
    std::vector<const Value*> m_values;
};

}  // namespace strata::jinja
