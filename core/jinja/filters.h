// Jinja's filters, `value | name(arguments)`, with transformers' `tojson` (json.dumps with
// ensure_ascii=False, indent, separators and sort_keys) in place of Jinja's HTML-safe one.
// Autoescaping is off for chat templates; `safe` makes Jinja's Markup, which escapes a str added
// to it with `+` (value.h); filters that would turn a Markup into another are refused.
#pragma once

#include "core/jinja/value.h"

#include <string_view>

namespace strata::jinja {

bool isFilter(std::string_view name);
// Raises TemplateError for bad arguments or a subject the filter cannot take.
Value applyFilter(std::string_view name, const Value& subject, const CallArguments& arguments);

}  // namespace strata::jinja
