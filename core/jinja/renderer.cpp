#include "core/jinja/renderer.h"

#include "core/jinja/arguments.h"
#include "core/jinja/attributes.h"
#include "core/jinja/filters.h"
#include "core/jinja/tests.h"

#include <cmath>
#include <ctime>
#include <limits>
#include <unordered_map>

namespace strata::jinja {

namespace {

using Kind = Expression::Kind;

// Macro calls may recurse; deeper than this is refused before it exhausts the stack.
constexpr int kMaxCallDepth = 50;
// The longest text `*` may build (Python would try, and run out of memory).
constexpr int64_t kMaxRepeatedSize = int64_t(1) << 28;

class Scope {
public:
    explicit Scope(const Scope* parent) : m_parent(parent) {}

    const Value* find(const std::string& name) const {
        for (const Scope* scope = this; scope; scope = scope->m_parent) {
            auto found = scope->m_values.find(name);
            if (found != scope->m_values.end()) return &found->second;
        }
        return nullptr;
    }
    void set(const std::string& name, Value value) { m_values[name] = std::move(value); }

private:
    const Scope* m_parent;
    std::unordered_map<std::string, Value> m_values;
};

// How a body ended: normally, or at a `break` or `continue` of the loop around it.
enum class Flow { Normal, Break, Continue };

bool isInteger(const Value& value) {
    return value.isInt() || value.isBool();
}

[[noreturn]] void unsupported(std::string_view op, const Value& a, const Value& b) {
    if (a.isUndefined()) raise("{}", a.undefinedHint());
    if (b.isUndefined()) raise("{}", b.undefinedHint());
    raise("unsupported operand type(s) for {}: '{}' and '{}'", op, a.typeName(), b.typeName());
}

int64_t checkedInt(long double exact, std::string_view op) {
    if (exact > (long double)std::numeric_limits<int64_t>::max() ||
        exact < (long double)std::numeric_limits<int64_t>::min())
        raise("integer overflow in '{}'", op);
    return int64_t(exact);
}

// Jinja's escape(), which Markup applies to a plain str added to it.
std::string htmlEscaped(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&#34;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

Value arithmetic(const std::string& op, const Value& a, const Value& b) {
    if (op == "~") return Value(a.str() + b.str());  // str_join: Markup or not, plain text
    if (a.isMarkup() || b.isMarkup()) {
        if (op != "+" || !a.isString() || !b.isString())
            raise("'{}' with Markup is not supported", op);
        auto escaped = [](const Value& v) {
            return v.isMarkup() ? v.asString() : htmlEscaped(v.asString());
        };
        return Value(Markup{escaped(a) + escaped(b)});
    }
    if (a.isUndefined() || b.isUndefined()) unsupported(op, a, b);
    bool numbers = a.isNumber() && b.isNumber();
    bool integers = isInteger(a) && isInteger(b);
    if (op == "+") {
        if (integers) return Value(checkedInt((long double)a.asInteger() + b.asInteger(), op));
        if (numbers) return Value(a.asDouble() + b.asDouble());
        if (a.isString() && b.isString()) return Value(a.asString() + b.asString());
        if (a.isList() && b.isList() && a.asList().kind == b.asList().kind && !a.isGenerator()) {
            List sum = a.asList();
            sum.items.insert(sum.items.end(), b.asList().items.begin(), b.asList().items.end());
            return Value(std::move(sum));
        }
        if (a.isString() && !b.isString())
            raise("can only concatenate str (not \"{}\") to str", b.typeName());
        unsupported(op, a, b);
    }
    if (op == "*") {
        if (integers) return Value(checkedInt((long double)a.asInteger() * b.asInteger(), op));
        if (numbers) return Value(a.asDouble() * b.asDouble());
        const Value& sequence = isInteger(a) ? b : a;
        const Value& count = isInteger(a) ? a : b;
        if (isInteger(count) && (sequence.isString() || sequence.isList()) &&
            !sequence.isGenerator()) {
            int64_t times = std::max<int64_t>(count.asInteger(), 0);
            int64_t size = sequence.isString() ? int64_t(sequence.asString().size())
                                               : int64_t(sequence.asList().items.size());
            if (size > 0 && times > kMaxRepeatedSize / size)
                raise("the result of '*' is too large");
            if (sequence.isString()) {
                std::string out;
                for (int64_t i = 0; i < times; ++i)
                    out += sequence.asString();
                return Value(std::move(out));
            }
            List out{{}, sequence.asList().kind};
            for (int64_t i = 0; i < times; ++i)
                out.items.insert(out.items.end(), sequence.asList().items.begin(),
                                 sequence.asList().items.end());
            return Value(std::move(out));
        }
        unsupported(op, a, b);
    }
    if (!numbers) {
        if (op == "%" && a.isString()) raise("printf-style formatting with % is not supported");
        unsupported(op, a, b);
    }
    if (op == "-") {
        if (integers) return Value(checkedInt((long double)a.asInteger() - b.asInteger(), op));
        return Value(a.asDouble() - b.asDouble());
    }
    if (op == "**") {
        if (integers && b.asInteger() >= 0)
            return Value(
                checkedInt(std::pow((long double)a.asInteger(), (long double)b.asInteger()), op));
        return Value(std::pow(a.asDouble(), b.asDouble()));
    }
    bool zero = integers ? b.asInteger() == 0 : b.asDouble() == 0.0;
    if (zero) {
        if (op == "/") raise("division by zero");
        raise("integer division or modulo by zero");
    }
    if (op == "/") return Value(a.asDouble() / b.asDouble());
    if (integers) {
        int64_t x = a.asInteger(), y = b.asInteger();
        if (x == std::numeric_limits<int64_t>::min() && y == -1)
            raise("integer overflow in '{}'", op);
        int64_t quotient = x / y, remainder = x % y;
        if (remainder != 0 && ((remainder < 0) != (y < 0))) --quotient, remainder += y;
        return op == "//" ? Value(quotient) : Value(remainder);
    }
    double x = a.asDouble(), y = b.asDouble();
    if (op == "//") return Value(std::floor(x / y));
    double remainder = std::fmod(x, y);
    if (remainder != 0 && ((remainder < 0) != (y < 0))) remainder += y;
    return Value(remainder);
}

bool compare(const std::string& op, const Value& a, const Value& b) {
    if (op == "==") return equals(a, b);
    if (op == "!=") return !equals(a, b);
    if (op == "in") return contains(b, a);
    if (op == "notin") return !contains(b, a);
    if (a.isUndefined() || b.isUndefined()) unsupported(op, a, b);
    if (op == "<") return lessThan(a, b);
    if (op == ">") return lessThan(b, a);
    if (op == "<=") return !lessThan(b, a);
    return !lessThan(a, b);  // >=
}

Value strftimeNow(const CallArguments& arguments) {
    ArgumentReader args("strftime_now", arguments, {"format"});
    std::string format = args.getString(0);
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char buffer[512];
    size_t length =
        format.empty() ? 0 : std::strftime(buffer, sizeof buffer, format.c_str(), &local);
    if (length == 0 && !format.empty()) raise("strftime_now: the format gives no text or too much");
    return Value(std::string(buffer, length));
}

// namespace(...) and dict(...): a mapping from an optional mapping and keyword arguments.
Value makeDict(const CallArguments& arguments, bool isNamespace) {
    const char* name = isNamespace ? "namespace" : "dict";
    if (arguments.positional.size() > 1) raise("{}() takes at most 1 positional argument", name);
    Dict dict;
    dict.isNamespace = isNamespace;
    if (!arguments.positional.empty()) {
        const Value& initial = arguments.positional[0];
        if (!initial.isDict()) raise("{}() needs a mapping, not {}", name, initial.typeName());
        dict.entries = initial.asDict().entries;
    }
    for (const auto& [key, value] : arguments.keyword) {
        if (isNamespace && key.starts_with("_"))
            raise(
                "Chat templates cannot store underscore-prefixed attributes on a namespace, "
                "but got '{}'. Please rename the attribute.",
                key);
        dict.set(key, value);
    }
    return Value(std::move(dict));
}

Value range(const CallArguments& arguments) {
    ArgumentReader args("range", arguments, {"start", "stop", "step"});
    args.require(0);
    int64_t start = 0, stop = 0, step = args.getInt(2, 1);
    if (args.has(1))
        start = args.getInt(0, 0), stop = args.getInt(1, 0);
    else
        stop = args.getInt(0, 0);
    if (step == 0) raise("range() arg 3 must not be zero");
    constexpr int64_t kMaxRange = 100000;  // the sandbox's MAX_RANGE
    std::vector<Value> out;
    for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
        if (int64_t(out.size()) >= kMaxRange)
            raise("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
        out.emplace_back(i);
    }
    return Value(std::move(out));
}

Scope makeGlobals() {
    Scope globals(nullptr);
    globals.set("raise_exception",
                Value(Callable{"raise_exception", [](const CallArguments& a) -> Value {
                                   ArgumentReader args("raise_exception", a, {"message"});
                                   raise("{}", args.get(0).str());
                               }}));
    globals.set("strftime_now", Value(Callable{"strftime_now", strftimeNow}));
    globals.set(
        "namespace",
        Value(Callable{"namespace", [](const CallArguments& a) { return makeDict(a, true); }}));
    globals.set("dict",
                Value(Callable{"dict", [](const CallArguments& a) { return makeDict(a, false); }}));
    globals.set("range", Value(Callable{"range", range}));
    return globals;
}

class Renderer {
public:
    Flow render(const Body& body, Scope& scope, std::string& out) {
        for (const StatementPtr& statement : body) {
            Flow flow = renderStatement(*statement, scope, out);
            if (flow != Flow::Normal) return flow;
        }
        return Flow::Normal;
    }

private:
    Flow renderStatement(const Statement& statement, Scope& scope, std::string& out) {
        try {
            return renderStatementUnlocated(statement, scope, out);
        } catch (TemplateError& error) {
            if (error.line == 0) error.line = statement.line;
            throw;
        }
    }

    Flow renderStatementUnlocated(const Statement& statement, Scope& scope, std::string& out) {
        switch (statement.kind) {
            case Statement::Kind::Text:
                out += statement.text;
                return Flow::Normal;
            case Statement::Kind::Output:
                out += evaluate(*statement.expression, scope).str();
                return Flow::Normal;
            case Statement::Kind::If:
                for (const auto& [condition, body] : statement.branches)
                    if (evaluate(*condition, scope).truthy()) return render(body, scope, out);
                return render(statement.elseBody, scope, out);
            case Statement::Kind::For:
                renderFor(statement, scope, out);
                return Flow::Normal;
            case Statement::Kind::Set:
                assign(statement.target, evaluate(*statement.expression, scope), scope);
                return Flow::Normal;
            case Statement::Kind::SetBlock: {
                std::string captured;
                render(statement.body, scope, captured);
                Value value(std::move(captured));
                if (statement.expression)
                    value = evaluateWithSubject(*statement.expression, value, scope);
                assign(statement.target, value, scope);
                return Flow::Normal;
            }
            case Statement::Kind::FilterBlock: {
                std::string captured;
                render(statement.body, scope, captured);
                out += evaluateWithSubject(*statement.expression, Value(std::move(captured)), scope)
                           .str();
                return Flow::Normal;
            }
            case Statement::Kind::Macro:
                scope.set(statement.name, makeMacro(statement, scope));
                return Flow::Normal;
            case Statement::Kind::Generation:
                return render(statement.body, scope, out);
            case Statement::Kind::Break:
                return Flow::Break;
            case Statement::Kind::Continue:
                return Flow::Continue;
        }
        return Flow::Normal;
    }

    void renderFor(const Statement& statement, Scope& scope, std::string& out) {
        std::vector<Value> items = iterate(evaluate(*statement.expression, scope));
        if (statement.condition) {
            std::vector<Value> kept;
            for (Value& item : items) {
                Scope test(&scope);
                assign(statement.target, item, test);
                if (evaluate(*statement.condition, test).truthy()) kept.push_back(std::move(item));
            }
            items = std::move(kept);
        }
        const int64_t length = int64_t(items.size());
        for (int64_t i = 0; i < length; ++i) {
            Scope iteration(&scope);
            assign(statement.target, items[size_t(i)], iteration);
            iteration.set("loop", loopObject(items, i));
            if (render(statement.body, iteration, out) == Flow::Break) break;
        }
        if (items.empty()) render(statement.elseBody, scope, out);
    }

    static Value loopObject(const std::vector<Value>& items, int64_t index) {
        int64_t length = int64_t(items.size());
        Dict loop;
        loop.set("index", Value(index + 1));
        loop.set("index0", Value(index));
        loop.set("revindex", Value(length - index));
        loop.set("revindex0", Value(length - index - 1));
        loop.set("first", Value(index == 0));
        loop.set("last", Value(index == length - 1));
        loop.set("length", Value(length));
        loop.set("depth", Value(int64_t(1)));
        loop.set("depth0", Value(int64_t(0)));
        loop.set("previtem", index > 0 ? items[size_t(index - 1)]
                                       : Value::undefined("there is no previous item"));
        loop.set("nextitem", index + 1 < length ? items[size_t(index + 1)]
                                                : Value::undefined("there is no next item"));
        loop.set("cycle",
                 Value(Callable{"cycle", [index](const CallArguments& a) {
                                    if (a.positional.empty()) raise("no items for cycling given");
                                    return a.positional[size_t(index) % a.positional.size()];
                                }}));
        return Value(std::move(loop));
    }

    void assign(const Target& target, const Value& value, Scope& scope) {
        if (!target.attribute.empty()) {
            const Value* object = scope.find(target.names[0]);
            if (!object || !object->isDict() || !object->asDict().isNamespace)
                raise("cannot assign attribute on non-namespace object");
            if (target.attribute.starts_with("_"))
                raise(
                    "Chat templates cannot store underscore-prefixed attributes on a namespace, "
                    "but got '{}'. Please rename the attribute.",
                    target.attribute);
            object->namespaceDict().set(target.attribute, value);
            return;
        }
        if (target.names.size() == 1) {
            scope.set(target.names[0], value);
            return;
        }
        std::vector<Value> parts = iterate(value);
        if (parts.size() != target.names.size())
            raise("{} values to unpack (expected {}, got {})",
                  parts.size() > target.names.size() ? "too many" : "not enough",
                  target.names.size(), parts.size());
        for (size_t i = 0; i < parts.size(); ++i)
            scope.set(target.names[i], parts[i]);
    }

    Value makeMacro(const Statement& statement, Scope& definedIn) {
        return Value(Callable{
            statement.name, [this, &statement, &definedIn](const CallArguments& a) {
                if (a.positional.size() > statement.parameters.size())
                    raise("macro '{}' takes not more than {} argument(s)", statement.name,
                          statement.parameters.size());
                if (++m_callDepth > kMaxCallDepth) raise("macro calls nest too deeply");
                Scope call(&definedIn);
                for (size_t i = 0; i < statement.parameters.size(); ++i) {
                    const auto& [name, fallback] = statement.parameters[i];
                    const Value* given = i < a.positional.size() ? &a.positional[i] : nullptr;
                    for (const auto& [key, value] : a.keyword)
                        if (key == name) given = &value;
                    call.set(name, given ? *given
                                   : fallback
                                       ? evaluate(*fallback, call)
                                       : Value::undefined(fmt::format("'{}' is undefined", name)));
                }
                for (const auto& [key, value] : a.keyword) {
                    bool known = false;
                    for (const auto& parameter : statement.parameters)
                        known |= parameter.first == key;
                    if (!known)
                        raise("macro '{}' takes no keyword argument '{}'", statement.name, key);
                }
                std::string out;
                render(statement.body, call, out);
                --m_callDepth;
                return Value(std::move(out));
            }});
    }

    // A filter chain whose innermost subject is the rendered body of a set or filter block.
    Value evaluateWithSubject(const Expression& chain, const Value& subject, Scope& scope) {
        Value previous = m_blockSubject;
        m_blockSubject = subject;
        Value result = evaluate(chain, scope);
        m_blockSubject = previous;
        return result;
    }

    CallArguments evaluateArguments(const Arguments& arguments, Scope& scope) {
        CallArguments out;
        for (const ExpressionPtr& argument : arguments.positional)
            out.positional.push_back(evaluate(*argument, scope));
        for (const auto& [key, argument] : arguments.keyword)
            out.keyword.emplace_back(key, evaluate(*argument, scope));
        return out;
    }

    Value evaluate(const Expression& expression, Scope& scope) {
        try {
            return evaluateUnlocated(expression, scope);
        } catch (TemplateError& error) {
            if (error.line == 0) error.line = expression.line;
            throw;
        }
    }

    Value evaluateUnlocated(const Expression& e, Scope& scope) {
        switch (e.kind) {
            case Kind::Literal:
                return e.value;
            case Kind::Name: {
                const Value* value = scope.find(e.name);
                return value ? *value : Value::undefined(fmt::format("'{}' is undefined", e.name));
            }
            case Kind::ListLiteral:
            case Kind::TupleLiteral: {
                List list{{}, e.kind == Kind::TupleLiteral ? ListKind::Tuple : ListKind::List};
                for (const ExpressionPtr& item : e.operands)
                    list.items.push_back(evaluate(*item, scope));
                return Value(std::move(list));
            }
            case Kind::DictLiteral: {
                Dict dict;
                for (size_t i = 0; i + 1 < e.operands.size(); i += 2) {
                    Value key = evaluate(*e.operands[i], scope);
                    if (!key.isString())
                        raise("dict keys other than strings are not supported, got {}",
                              key.typeName());
                    dict.set(key.asString(), evaluate(*e.operands[i + 1], scope));
                }
                return Value(std::move(dict));
            }
            case Kind::Attribute:
                return getAttribute(evaluate(*e.operands[0], scope), e.name);
            case Kind::Subscript: {
                Value object = evaluate(*e.operands[0], scope);
                const Expression& index = *e.operands[1];
                if (index.kind == Kind::Slice) {
                    auto part = [&](size_t i) {
                        return index.operands[i] ? evaluate(*index.operands[i], scope) : Value();
                    };
                    return getSlice(object, part(0), part(1), part(2));
                }
                return getItem(object, evaluate(index, scope));
            }
            case Kind::Slice:
                raise("a slice is only allowed inside []");
            case Kind::Call: {
                Value callee = evaluate(*e.operands[0], scope);
                CallArguments arguments = evaluateArguments(e.arguments, scope);
                if (callee.isUndefined()) raise("{}", callee.undefinedHint());
                if (!callee.isCallable()) raise("'{}' object is not callable", callee.typeName());
                return callee.asCallable().call(arguments);
            }
            case Kind::Filter: {
                Value subject = e.operands[0] ? evaluate(*e.operands[0], scope) : m_blockSubject;
                return applyFilter(e.name, subject, evaluateArguments(e.arguments, scope));
            }
            case Kind::Test: {
                Value subject = evaluate(*e.operands[0], scope);
                return Value(applyTest(e.name, subject, evaluateArguments(e.arguments, scope)) !=
                             e.negated);
            }
            case Kind::Unary: {
                Value operand = evaluate(*e.operands[0], scope);
                if (e.name == "not") return Value(!operand.truthy());
                if (operand.isUndefined()) raise("{}", operand.undefinedHint());
                if (!operand.isNumber())
                    raise("bad operand type for unary {}: '{}'", e.name, operand.typeName());
                if (e.name == "+") return isInteger(operand) ? Value(operand.asInteger()) : operand;
                if (isInteger(operand) &&
                    operand.asInteger() == std::numeric_limits<int64_t>::min())
                    raise("integer overflow in unary -");
                return isInteger(operand) ? Value(-operand.asInteger())
                                          : Value(-operand.asDouble());
            }
            case Kind::Binary:
                return arithmetic(e.name, evaluate(*e.operands[0], scope),
                                  evaluate(*e.operands[1], scope));
            case Kind::And: {
                Value left = evaluate(*e.operands[0], scope);
                return left.truthy() ? evaluate(*e.operands[1], scope) : left;
            }
            case Kind::Or: {
                Value left = evaluate(*e.operands[0], scope);
                return left.truthy() ? left : evaluate(*e.operands[1], scope);
            }
            case Kind::Compare: {
                Value left = evaluate(*e.operands[0], scope);
                for (size_t i = 0; i < e.ops.size(); ++i) {
                    Value right = evaluate(*e.operands[i + 1], scope);
                    if (!compare(e.ops[i], left, right)) return Value(false);
                    left = std::move(right);
                }
                return Value(true);
            }
            case Kind::Conditional:
                if (evaluate(*e.operands[0], scope).truthy())
                    return evaluate(*e.operands[1], scope);
                if (e.operands[2]) return evaluate(*e.operands[2], scope);
                return Value::undefined(fmt::format(
                    "the inline if-expression on line {} evaluated to false and no else section "
                    "was defined.",
                    e.line));
        }
        return Value();
    }

    Value m_blockSubject;
    int m_callDepth = 0;
};

}  // namespace

std::string renderBody(const Body& body, const Dict& variables) {
    Scope globals = makeGlobals();
    Scope root(&globals);
    for (const auto& [name, value] : variables.entries)
        root.set(name, value);
    std::string out;
    Renderer().render(body, root, out);
    return out;
}

}  // namespace strata::jinja
