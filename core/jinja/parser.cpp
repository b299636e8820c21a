#include "core/jinja/parser.h"

#include "core/jinja/filters.h"
#include "core/jinja/tests.h"

#include <fmt/format.h>

#include <initializer_list>
#include <string_view>

namespace strata::jinja {

namespace {

using Kind = Expression::Kind;

// Real templates nest a dozen levels; a deeper one is refused before it can exhaust the stack.
constexpr int kMaxNesting = 100;

std::string describe(const Token& token) {
    switch (token.kind) {
        case TokenKind::Text:
            return "template data";
        case TokenKind::VariableBegin:
            return "begin of print statement";
        case TokenKind::VariableEnd:
            return "end of print statement";
        case TokenKind::BlockBegin:
            return "begin of statement block";
        case TokenKind::BlockEnd:
            return "end of statement block";
        case TokenKind::String:
            return "string";
        case TokenKind::Integer:
        case TokenKind::Float:
            return "number";
        case TokenKind::End:
            return "end of template";
        default:
            return token.text;
    }
}

class Parser {
public:
    explicit Parser(std::vector<Token> tokens) : m_tokens(std::move(tokens)) {}

    Body parseTemplate() {
        Body body = parseBody({});
        for (const UnknownName& unknown : m_unknownNames)
            if (!unknown.conditional) throw TemplateError{unknown.message, unknown.line};
        return body;
    }

private:
    // A filter or test Jinja does not know. Jinja refuses it when it compiles the template, unless
    // it sits directly in an `if` or an inline if-expression: there it fails only if it runs.
    struct UnknownName {
        std::string message;
        int line;
        bool conditional;
    };

    void noteUnknown(const Expression& node, const char* what) {
        m_unknownNames.push_back(
            {fmt::format("unknown {} '{}'", what, node.name), node.line, m_conditional});
    }

    // Parses `parse()` with m_conditional set to `conditional`, then restores it.
    template <typename Parse>
    auto withConditional(bool conditional, Parse parse) {
        bool saved = m_conditional;
        m_conditional = conditional;
        auto result = parse();
        m_conditional = saved;
        return result;
    }

    // Counts one level of nesting for as long as it lives.
    class Nesting {
    public:
        explicit Nesting(Parser& parser) : m_parser(parser) {
            if (++m_parser.m_nesting > kMaxNesting) m_parser.fail("the template nests too deeply");
        }
        ~Nesting() { --m_parser.m_nesting; }
        Nesting(const Nesting&) = delete;
        Nesting& operator=(const Nesting&) = delete;

    private:
        Parser& m_parser;
    };

    const Token& current() const { return m_tokens[m_pos]; }
    const Token& peek() const { return m_tokens[std::min(m_pos + 1, m_tokens.size() - 1)]; }
    Token next() { return m_tokens[m_pos < m_tokens.size() - 1 ? m_pos++ : m_pos]; }

    bool isOperator(std::string_view op) const {
        return current().kind == TokenKind::Operator && current().text == op;
    }
    bool isName(std::string_view name) const {
        return current().kind == TokenKind::Name && current().text == name;
    }
    bool skipOperator(std::string_view op) {
        if (!isOperator(op)) return false;
        ++m_pos;
        return true;
    }
    bool skipName(std::string_view name) {
        if (!isName(name)) return false;
        ++m_pos;
        return true;
    }

    [[noreturn]] void fail(const std::string& message) const {
        throw TemplateError{message, current().line};
    }
    [[noreturn]] void unexpected() const {
        fail(fmt::format("unexpected '{}'", describe(current())));
    }

    void expectOperator(std::string_view op) {
        if (!skipOperator(op))
            fail(fmt::format("expected '{}', got '{}'", op, describe(current())));
    }
    std::string expectName() {
        if (current().kind != TokenKind::Name)
            fail(fmt::format("expected a name, got '{}'", describe(current())));
        return next().text;
    }
    void expectBlockEnd() {
        if (current().kind != TokenKind::BlockEnd)
            fail(fmt::format("expected end of statement block, got '{}'", describe(current())));
        ++m_pos;
    }

    // Statements up to one of the block tags `stops`; leaves the stream on that tag's name.
    Body parseBody(std::initializer_list<std::string_view> stops) {
        Body body;
        while (true) {
            const Token& token = current();
            if (token.kind == TokenKind::End) {
                if (stops.size() == 0) return body;
                std::string expected;
                for (std::string_view stop : stops)
                    expected += (expected.empty() ? "'" : " or '") + std::string(stop) + "'";
                fail("unexpected end of template, expected " + expected);
            }
            if (token.kind == TokenKind::Text) {
                auto statement = std::make_unique<Statement>();
                statement->kind = Statement::Kind::Text;
                statement->line = token.line;
                statement->text = next().text;
                body.push_back(std::move(statement));
            } else if (token.kind == TokenKind::VariableBegin) {
                auto statement = std::make_unique<Statement>();
                statement->kind = Statement::Kind::Output;
                statement->line = next().line;
                statement->expression = parseTuple(true, {});
                if (current().kind != TokenKind::VariableEnd)
                    fail(fmt::format("expected end of print statement, got '{}'",
                                     describe(current())));
                ++m_pos;
                body.push_back(std::move(statement));
            } else if (token.kind == TokenKind::BlockBegin) {
                ++m_pos;
                if (current().kind != TokenKind::Name) unexpected();
                for (std::string_view stop : stops)
                    if (current().text == stop) return body;
                body.push_back(parseStatement());
            } else {
                unexpected();
            }
        }
    }

    StatementPtr parseStatement() {
        Nesting nesting(*this);
        auto statement = std::make_unique<Statement>();
        statement->line = current().line;
        std::string tag = next().text;
        if (tag == "if") {
            statement->kind = Statement::Kind::If;
            while (true) {
                ExpressionPtr condition =
                    withConditional(true, [&] { return parseTuple(false, {}); });
                expectBlockEnd();
                Body body = withConditional(true, [&] {
                    return parseBody({"elif", "else", "endif"});
                });
                statement->branches.emplace_back(std::move(condition), std::move(body));
                std::string stop = next().text;
                if (stop == "elif") continue;
                if (stop == "else") {
                    expectBlockEnd();
                    statement->elseBody =
                        withConditional(true, [&] { return parseBody({"endif"}); });
                    ++m_pos;
                }
                break;
            }
        } else if (tag == "for") {
            statement->kind = Statement::Kind::For;
            statement->target = parseTarget(false);
            if (!skipName("in")) fail(fmt::format("expected 'in', got '{}'", describe(current())));
            statement->expression = parseTuple(false, {"recursive"});
            if (skipName("if")) statement->condition = parseExpression(true);
            if (isName("recursive")) fail("recursive loops are not supported");
            expectBlockEnd();
            statement->body = withConditional(false, [&] { return parseBody({"endfor", "else"}); });
            if (next().text == "else") {
                expectBlockEnd();
                statement->elseBody = withConditional(false, [&] { return parseBody({"endfor"}); });
                ++m_pos;
            }
        } else if (tag == "set") {
            statement->target = parseTarget(true);
            if (skipOperator("=")) {
                statement->kind = Statement::Kind::Set;
                statement->expression = parseTuple(true, {});
            } else {
                statement->kind = Statement::Kind::SetBlock;
                if (isOperator("|")) statement->expression = parseFilters(nullptr);
                expectBlockEnd();
                statement->body = withConditional(false, [&] { return parseBody({"endset"}); });
                ++m_pos;
            }
        } else if (tag == "macro") {
            statement->kind = Statement::Kind::Macro;
            statement->name = expectName();
            expectOperator("(");
            while (!skipOperator(")")) {
                if (!statement->parameters.empty()) expectOperator(",");
                if (skipOperator(")")) break;
                std::string parameter = expectName();
                ExpressionPtr defaultValue;
                if (skipOperator("=")) defaultValue = parseExpression(true);
                statement->parameters.emplace_back(std::move(parameter), std::move(defaultValue));
            }
            expectBlockEnd();
            statement->body = withConditional(false, [&] { return parseBody({"endmacro"}); });
            ++m_pos;
        } else if (tag == "filter") {
            statement->kind = Statement::Kind::FilterBlock;
            statement->expression = parseFilterChain(nullptr);
            expectBlockEnd();
            statement->body = withConditional(false, [&] { return parseBody({"endfilter"}); });
            ++m_pos;
        } else if (tag == "generation") {
            statement->kind = Statement::Kind::Generation;
            expectBlockEnd();
            statement->body = parseBody({"endgeneration"});
            ++m_pos;
        } else if (tag == "break" || tag == "continue") {
            statement->kind = tag == "break" ? Statement::Kind::Break : Statement::Kind::Continue;
        } else {
            --m_pos;
            fail(fmt::format("unknown tag '{}'", tag));
        }
        expectBlockEnd();
        return statement;
    }

    // `name`, `a, b` (unpacking) or, where `withNamespace`, `ns.attribute`.
    Target parseTarget(bool withNamespace) {
        Target target;
        target.names.push_back(expectName());
        if (withNamespace && skipOperator(".")) {
            target.attribute = expectName();
            return target;
        }
        while (skipOperator(",")) {
            if (isName("in") || isOperator("=")) break;
            target.names.push_back(expectName());
        }
        return target;
    }

    ExpressionPtr make(Kind kind, int line) {
        auto expression = std::make_unique<Expression>();
        expression->kind = kind;
        expression->line = line;
        return expression;
    }

    bool isTupleEnd(std::initializer_list<std::string_view> extraEnds) const {
        if (current().kind == TokenKind::VariableEnd || current().kind == TokenKind::BlockEnd ||
            isOperator(")"))
            return true;
        for (std::string_view end : extraEnds)
            if (isName(end)) return true;
        return false;
    }

    ExpressionPtr parseTuple(bool withCondition, std::initializer_list<std::string_view> extraEnds,
                             bool parenthesized = false) {
        int line = current().line;
        std::vector<ExpressionPtr> items;
        bool isTuple = false;
        while (true) {
            if (!items.empty()) expectOperator(",");
            if (isTupleEnd(extraEnds)) break;
            items.push_back(parseExpression(withCondition));
            if (!isOperator(",")) break;
            isTuple = true;
        }
        if (!isTuple) {
            if (!items.empty()) return std::move(items[0]);
            if (!parenthesized)
                fail(fmt::format("expected an expression, got '{}'", describe(current())));
        }
        ExpressionPtr tuple = make(Kind::TupleLiteral, line);
        tuple->operands = std::move(items);
        return tuple;
    }

    ExpressionPtr parseExpression(bool withCondition) {
        Nesting nesting(*this);
        return withCondition ? parseConditional() : parseOr();
    }

    ExpressionPtr parseConditional() {
        int line = current().line;
        size_t firstUnknown = m_unknownNames.size();
        ExpressionPtr expression = parseOr();
        while (skipName("if")) {
            for (size_t i = firstUnknown; i < m_unknownNames.size(); ++i)
                m_unknownNames[i].conditional = true;
            ExpressionPtr condition = withConditional(true, [&] { return parseOr(); });
            ExpressionPtr otherwise = withConditional(
                true, [&] { return skipName("else") ? parseConditional() : nullptr; });
            ExpressionPtr node = make(Kind::Conditional, line);
            node->operands.push_back(std::move(condition));
            node->operands.push_back(std::move(expression));
            node->operands.push_back(std::move(otherwise));
            expression = std::move(node);
        }
        return expression;
    }

    ExpressionPtr binary(Kind kind, std::string op, ExpressionPtr left, ExpressionPtr right) {
        ExpressionPtr node = make(kind, left->line);
        node->name = std::move(op);
        node->operands.push_back(std::move(left));
        node->operands.push_back(std::move(right));
        return node;
    }

    ExpressionPtr parseOr() {
        ExpressionPtr left = parseAnd();
        while (skipName("or"))
            left = binary(Kind::Or, "or", std::move(left), parseAnd());
        return left;
    }

    ExpressionPtr parseAnd() {
        ExpressionPtr left = parseNot();
        while (skipName("and"))
            left = binary(Kind::And, "and", std::move(left), parseNot());
        return left;
    }

    ExpressionPtr parseNot() {
        Nesting nesting(*this);
        if (isName("not")) {
            ExpressionPtr node = make(Kind::Unary, next().line);
            node->name = "not";
            node->operands.push_back(parseNot());
            return node;
        }
        return parseCompare();
    }

    ExpressionPtr parseCompare() {
        int line = current().line;
        ExpressionPtr first = parseMath1();
        ExpressionPtr node;
        while (true) {
            std::string op;
            if (current().kind == TokenKind::Operator &&
                (current().text == "==" || current().text == "!=" || current().text == "<" ||
                 current().text == "<=" || current().text == ">" || current().text == ">=")) {
                op = next().text;
            } else if (skipName("in")) {
                op = "in";
            } else if (isName("not") && peek().kind == TokenKind::Name && peek().text == "in") {
                m_pos += 2;
                op = "notin";
            } else {
                break;
            }
            if (!node) {
                node = make(Kind::Compare, line);
                node->operands.push_back(std::move(first));
            }
            node->ops.push_back(op);
            node->operands.push_back(parseMath1());
        }
        return node ? std::move(node) : std::move(first);
    }

    ExpressionPtr parseMath1() {
        ExpressionPtr left = parseConcat();
        while (isOperator("+") || isOperator("-")) {
            std::string op = next().text;
            left = binary(Kind::Binary, op, std::move(left), parseConcat());
        }
        return left;
    }

    ExpressionPtr parseConcat() {
        ExpressionPtr left = parseMath2();
        while (skipOperator("~"))
            left = binary(Kind::Binary, "~", std::move(left), parseMath2());
        return left;
    }

    ExpressionPtr parseMath2() {
        ExpressionPtr left = parsePow();
        while (isOperator("*") || isOperator("/") || isOperator("//") || isOperator("%")) {
            std::string op = next().text;
            left = binary(Kind::Binary, op, std::move(left), parsePow());
        }
        return left;
    }

    ExpressionPtr parsePow() {
        ExpressionPtr left = parseUnary(true);
        while (skipOperator("**"))
            left = binary(Kind::Binary, "**", std::move(left), parseUnary(true));
        return left;
    }

    ExpressionPtr parseUnary(bool withFilters) {
        Nesting nesting(*this);
        ExpressionPtr node;
        if (isOperator("-") || isOperator("+")) {
            node = make(Kind::Unary, current().line);
            node->name = next().text;
            node->operands.push_back(parseUnary(false));
        } else {
            node = parsePrimary();
        }
        node = parsePostfix(std::move(node));
        if (withFilters) node = parseFilterExpression(std::move(node));
        return node;
    }

    ExpressionPtr parsePrimary() {
        const Token& token = current();
        int line = token.line;
        if (token.kind == TokenKind::Name) {
            std::string name = next().text;
            ExpressionPtr node = make(Kind::Literal, line);
            if (name == "true" || name == "True")
                node->value = Value(true);
            else if (name == "false" || name == "False")
                node->value = Value(false);
            else if (name == "none" || name == "None")
                node->value = Value(None{});
            else
                node->kind = Kind::Name, node->name = std::move(name);
            return node;
        }
        if (token.kind == TokenKind::String) {
            std::string text;
            while (current().kind == TokenKind::String)
                text += next().text;
            ExpressionPtr node = make(Kind::Literal, line);
            node->value = Value(std::move(text));
            return node;
        }
        if (token.kind == TokenKind::Integer || token.kind == TokenKind::Float) {
            ExpressionPtr node = make(Kind::Literal, line);
            node->value =
                token.kind == TokenKind::Integer ? Value(token.integer) : Value(token.number);
            ++m_pos;
            return node;
        }
        if (skipOperator("(")) {
            ExpressionPtr node = parseTuple(true, {}, true);
            expectOperator(")");
            return node;
        }
        if (skipOperator("[")) {
            ExpressionPtr node = make(Kind::ListLiteral, line);
            while (!skipOperator("]")) {
                if (!node->operands.empty()) expectOperator(",");
                if (skipOperator("]")) break;
                node->operands.push_back(parseExpression(true));
            }
            return node;
        }
        if (skipOperator("{")) {
            ExpressionPtr node = make(Kind::DictLiteral, line);
            while (!skipOperator("}")) {
                if (!node->operands.empty()) expectOperator(",");
                if (skipOperator("}")) break;
                node->operands.push_back(parseExpression(true));
                expectOperator(":");
                node->operands.push_back(parseExpression(true));
            }
            return node;
        }
        unexpected();
    }

    ExpressionPtr parsePostfix(ExpressionPtr node) {
        while (true) {
            if (isOperator(".")) {
                int line = next().line;
                ExpressionPtr access = make(Kind::Attribute, line);
                if (current().kind == TokenKind::Integer) {
                    access->kind = Kind::Subscript;
                    ExpressionPtr index = make(Kind::Literal, line);
                    index->value = Value(next().integer);
                    access->operands.push_back(std::move(node));
                    access->operands.push_back(std::move(index));
                } else {
                    access->name = expectName();
                    access->operands.push_back(std::move(node));
                }
                node = std::move(access);
            } else if (isOperator("[")) {
                node = parseSubscript(std::move(node));
            } else if (isOperator("(")) {
                node = parseCall(std::move(node));
            } else {
                return node;
            }
        }
    }

    ExpressionPtr parseSubscript(ExpressionPtr subject) {
        ExpressionPtr node = make(Kind::Subscript, next().line);
        std::vector<ExpressionPtr> indices;
        while (!skipOperator("]")) {
            if (!indices.empty()) expectOperator(",");
            indices.push_back(parseSubscribed());
        }
        node->operands.push_back(std::move(subject));
        if (indices.size() == 1) {
            node->operands.push_back(std::move(indices[0]));
        } else {
            ExpressionPtr tuple = make(Kind::TupleLiteral, node->line);
            tuple->operands = std::move(indices);
            node->operands.push_back(std::move(tuple));
        }
        return node;
    }

    // An index or a slice `start:stop:step`, each part optional.
    ExpressionPtr parseSubscribed() {
        int line = current().line;
        ExpressionPtr start;
        if (!isOperator(":")) {
            start = parseExpression(true);
            if (!isOperator(":")) return start;
        }
        ++m_pos;
        ExpressionPtr slice = make(Kind::Slice, line);
        slice->operands.push_back(std::move(start));
        slice->operands.push_back(isOperator("]") || isOperator(",") || isOperator(":")
                                      ? nullptr
                                      : parseExpression(true));
        if (skipOperator(":"))
            slice->operands.push_back(isOperator("]") || isOperator(",") ? nullptr
                                                                         : parseExpression(true));
        else
            slice->operands.push_back(nullptr);
        return slice;
    }

    Arguments parseArguments() {
        expectOperator("(");
        Arguments arguments;
        bool first = true;
        while (!skipOperator(")")) {
            if (!first) expectOperator(",");
            first = false;
            if (skipOperator(")")) break;
            if (isOperator("*") || isOperator("**")) fail("*args and **kwargs are not supported");
            if (current().kind == TokenKind::Name && peek().kind == TokenKind::Operator &&
                peek().text == "=") {
                std::string key = next().text;
                ++m_pos;
                arguments.keyword.emplace_back(std::move(key), parseExpression(true));
            } else {
                if (!arguments.keyword.empty())
                    fail("a positional argument follows a keyword argument");
                arguments.positional.push_back(parseExpression(true));
            }
        }
        return arguments;
    }

    ExpressionPtr parseCall(ExpressionPtr callee) {
        ExpressionPtr node = make(Kind::Call, current().line);
        node->arguments = parseArguments();
        node->operands.push_back(std::move(callee));
        return node;
    }

    ExpressionPtr parseFilterExpression(ExpressionPtr node) {
        while (true) {
            if (isOperator("|")) {
                node = parseFilters(std::move(node));
            } else if (isName("is")) {
                node = parseTest(std::move(node));
            } else if (isOperator("(")) {
                node = parseCall(std::move(node));
            } else {
                return node;
            }
        }
    }

    ExpressionPtr parseFilters(ExpressionPtr subject) {
        while (skipOperator("|"))
            subject = parseFilterChain(std::move(subject), false);
        return subject;
    }

    // One filter `name(arguments)` applied to `subject`; with `chained`, also the `| more` after.
    ExpressionPtr parseFilterChain(ExpressionPtr subject, bool chained = true) {
        ExpressionPtr node = make(Kind::Filter, current().line);
        node->name = expectName();
        if (!isFilter(node->name)) noteUnknown(*node, "filter");
        if (isOperator("(")) node->arguments = parseArguments();
        node->operands.push_back(std::move(subject));
        return chained ? parseFilters(std::move(node)) : std::move(node);
    }

    ExpressionPtr parseTest(ExpressionPtr subject) {
        ExpressionPtr node = make(Kind::Test, next().line);
        node->negated = skipName("not");
        node->name = expectName();
        if (!isTest(node->name)) noteUnknown(*node, "test");
        const Token& token = current();
        if (isOperator("(")) {
            node->arguments = parseArguments();
        } else if ((token.kind == TokenKind::Name || token.kind == TokenKind::String ||
                    token.kind == TokenKind::Integer || token.kind == TokenKind::Float ||
                    isOperator("[") || isOperator("{")) &&
                   !isName("else") && !isName("or") && !isName("and")) {
            if (isName("is")) fail("You cannot chain multiple tests with is");
            node->arguments.positional.push_back(parsePostfix(parsePrimary()));
        }
        node->operands.push_back(std::move(subject));
        return node;
    }

    std::vector<Token> m_tokens;
    size_t m_pos = 0;
    std::vector<UnknownName> m_unknownNames;
    bool m_conditional = false;
    int m_nesting = 0;
};

}  // namespace

Body parse(std::vector<Token> tokens) {
    return Parser(std::move(tokens)).parseTemplate();
}

}  // namespace strata::jinja
