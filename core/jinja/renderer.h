// Renders a parsed template: walks the statements, evaluates expressions with Python's semantics
// and Jinja's scoping (a `for` body starts each iteration afresh from the enclosing scope, so a
// `set` inside a loop does not outlive it; `if` has no scope of its own; a macro sees the scope it
// was defined in), and offers transformers' globals: raise_exception, strftime_now, namespace,
// dict, and Jinja's range.
#pragma once

#include "core/jinja/ast.h"
#include "core/jinja/value.h"

#include <string>

namespace strata::jinja {

// Throws TemplateError with the line of the statement or expression that failed.
std::string renderBody(const Body& body, const Dict& variables);

}  // namespace strata::jinja
