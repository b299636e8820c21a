// Jinja's tests, `value is name(arguments)`: defined, none, string, mapping, iterable, sequence,
// number, equalto... with Python's meaning of each type (a str is iterable, a bool is a number).
#pragma once

#include "core/jinja/value.h"

#include <string_view>

namespace strata::jinja {

bool isTest(std::string_view name);
// Raises TemplateError for an unknown test or bad arguments.
bool applyTest(std::string_view name, const Value& subject, const CallArguments& arguments);

}  // namespace strata::jinja
