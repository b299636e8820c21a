#include "core/jinja/template.h"

#include "core/common/error.h"
#include "core/jinja/lexer.h"
#include "core/jinja/parser.h"
#include "core/jinja/renderer.h"

namespace strata::jinja {

namespace {

void collectLiterals(const Expression* expression, std::vector<std::string>& out) {
    if (!expression) return;
    if (expression->kind == Expression::Kind::Literal && expression->value.isString())
        out.push_back(expression->value.asString());
    for (const ExpressionPtr& operand : expression->operands)
        collectLiterals(operand.get(), out);
    for (const ExpressionPtr& argument : expression->arguments.positional)
        collectLiterals(argument.get(), out);
    for (const auto& [key, argument] : expression->arguments.keyword)
        collectLiterals(argument.get(), out);
}

void collectLiterals(const Body& body, std::vector<std::string>& out) {
    for (const StatementPtr& statement : body) {
        if (statement->kind == Statement::Kind::Text) out.push_back(statement->text);
        collectLiterals(statement->expression.get(), out);
        collectLiterals(statement->condition.get(), out);
        for (const auto& [condition, branch] : statement->branches) {
            collectLiterals(condition.get(), out);
            collectLiterals(branch, out);
        }
        collectLiterals(statement->body, out);
        collectLiterals(statement->elseBody, out);
        for (const auto& [name, fallback] : statement->parameters)
            collectLiterals(fallback.get(), out);
    }
}

}  // namespace

Template::Template(std::string_view source, std::string name) : m_name(std::move(name)) {
    try {
        m_body = std::make_shared<const Body>(parse(tokenize(source)));
    } catch (const TemplateError& error) {
        common::fail("{} line {}: {}", m_name, error.line, error.message);
    } catch (const std::exception& error) {  // a number out of range and the like
        common::fail("{}: {}", m_name, error.what());
    }
}

std::vector<std::string> Template::literals() const {
    std::vector<std::string> out;
    collectLiterals(*m_body, out);
    return out;
}

std::string Template::render(const Dict& variables) const {
    try {
        return renderBody(*m_body, variables);
    } catch (const TemplateError& error) {
        common::fail("{} line {}: {}", m_name, error.line, error.message);
    } catch (const std::exception& error) {  // a number out of range and the like
        common::fail("{}: {}", m_name, error.what());
    }
}

}  // namespace strata::jinja
