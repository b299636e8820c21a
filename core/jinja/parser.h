// Jinja's parser: tokens to the syntax tree, with Jinja's operator precedence (`|` filters and
// `is` tests bind tighter than arithmetic, `~` between + and *), and Jinja's compile-time checks:
// an unknown filter or test is an error even in a branch that never runs.
#pragma once

#include "core/jinja/ast.h"
#include "core/jinja/lexer.h"

#include <vector>

namespace strata::jinja {

// Throws TemplateError with the line of the first problem.
Body parse(std::vector<Token> tokens);

}  // namespace strata::jinja
