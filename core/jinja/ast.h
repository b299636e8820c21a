// The syntax tree of a template: expressions and the statements that hold them. Every node keeps
// the template line it starts on, for error messages.
#pragma once

#include "core/jinja/value.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace strata::jinja {

struct Expression;
using ExpressionPtr = std::unique_ptr<Expression>;

struct Arguments {
    std::vector<ExpressionPtr> positional;
    std::vector<std::pair<std::string, ExpressionPtr>> keyword;
};

struct Expression {
    enum class Kind {
        Literal,       // value
        Name,          // name
        ListLiteral,   // operands
        TupleLiteral,  // operands
        DictLiteral,   // operands: key, value, key, value...
        Attribute,     // operands[0].name
        Subscript,     // operands[0][operands[1]]
        Slice,         // operands: start, stop, step (each may be null)
        Call,          // operands[0](arguments)
        Filter,        // operands[0] | name(arguments); operands[0] null in a filter block
        Test,          // operands[0] is [not] name(arguments)
        Unary,         // name ("-", "+", "not") operands[0]
        Binary,        // operands[0] name operands[1]: + - * / // % ** ~
        And,           // operands[0] and operands[1]
        Or,            // operands[0] or operands[1]
        Compare,  // operands[0] ops[0] operands[1] ops[1] operands[2]...: == != < <= > >= in notin
        Conditional,  // operands[1] if operands[0] else operands[2] (may be null)
    };

    Kind kind = Kind::Literal;
    int line = 1;
    Value value;
    std::string name;
    std::vector<ExpressionPtr> operands;
    std::vector<std::string> ops;
    Arguments arguments;
    bool negated = false;  // `is not`
};

struct Statement;
using StatementPtr = std::unique_ptr<Statement>;
using Body = std::vector<StatementPtr>;

// Where `set` and `for` store: one name, several names (unpacking), or a namespace attribute.
struct Target {
    std::vector<std::string> names;
    std::string attribute;  // with one name: `set ns.attribute = ...`
};

struct Statement {
    enum class Kind {
        Text,         // text
        Output,       // {{ expression }}
        If,           // branches: (condition, body)...; elseBody
        For,          // for target in expression [if condition] body [else elseBody]
        Set,          // set target = expression
        SetBlock,     // set target [| filter] body endset
        Macro,        // macro name(parameters) body
        FilterBlock,  // filter expression(with a null subject) body
        Break,
        Continue,
        Generation,  // transformers' {% generation %}: renders its body
    };

    Kind kind = Kind::Text;
    int line = 1;
    std::string text;
    Target target;
    ExpressionPtr expression;
    ExpressionPtr condition;
    std::vector<std::pair<ExpressionPtr, Body>> branches;
    Body body;
    Body elseBody;
    std::string name;
    std::vector<std::pair<std::string, ExpressionPtr>> parameters;  // a macro's, with defaults
};

}  // namespace strata::jinja
