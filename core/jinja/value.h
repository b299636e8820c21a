// The values a template computes with, behaving as their Python counterparts do under Jinja:
// undefined (what a missing name or key yields), None, bool, int, float, str, list or tuple,
// dict (ordered, string keys) or namespace, and callables (globals, macros, bound methods).
// Lists and dicts are shared, immutable once built, as in transformers' immutable sandbox; only a
// namespace changes after it is made (`{% set ns.x = ... %}`).
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace strata::jinja {

class Value;

// The error a template raises while it is read or rendered. A line of 0 stands for "the line
// being evaluated", which the renderer fills in.
struct TemplateError {
    std::string message;
    int line = 0;
};
template <typename... Args>
[[noreturn]] void raise(fmt::format_string<Args...> format, Args&&... args) {
    throw TemplateError{fmt::format(format, std::forward<Args>(args)...)};
}

// What a misused undefined value reports: "'x' is undefined", "'dict object' has no attribute 'y'".
struct Undefined {
    std::string hint;
};
struct None {};
// Jinja's Markup (what `safe` returns), a str that HTML-escapes any plain str added to it.
struct Markup {
    std::string text;
};

// A list, a tuple, or a generator: what Jinja's map, select, reject and items filters return,
// which iterates but has no length, no index, no JSON and no printable form.
enum class ListKind { List, Tuple, Generator };

struct List {
    std::vector<Value> items;
    ListKind kind = ListKind::List;
};

struct Dict {
    std::vector<std::pair<std::string, Value>> entries;  // in insertion order
    bool isNamespace = false;

    const Value* find(std::string_view key) const;
    Value* find(std::string_view key);
    void set(std::string key, Value value);
};

struct CallArguments {
    std::vector<Value> positional;
    std::vector<std::pair<std::string, Value>> keyword;
};

struct Callable {
    std::string name;
    std::function<Value(const CallArguments&)> call;
};

class Value {
public:
    Value() : m_data(Undefined{}) {}
    Value(Undefined undefined) : m_data(std::move(undefined)) {}
    Value(None) : m_data(None{}) {}
    Value(bool flag) : m_data(flag) {}
    Value(int64_t number) : m_data(number) {}
    Value(int number) : m_data(int64_t(number)) {}
    Value(double number) : m_data(number) {}
    Value(std::string text) : m_data(std::move(text)) {}
    Value(std::string_view text) : m_data(std::string(text)) {}
    Value(const char* text) : m_data(std::string(text)) {}
    Value(Markup markup) : m_data(std::move(markup)) {}
    Value(List list) : m_data(std::make_shared<List>(std::move(list))) {}
    Value(std::vector<Value> items) : Value(List{std::move(items)}) {}
    static Value generator(std::vector<Value> items) {
        return Value(List{std::move(items), ListKind::Generator});
    }
    Value(Dict dict) : m_data(std::make_shared<Dict>(std::move(dict))) {}
    Value(Callable callable) : m_data(std::make_shared<const Callable>(std::move(callable))) {}

    static Value undefined(std::string hint) { return Value(Undefined{std::move(hint)}); }

    bool isUndefined() const { return std::holds_alternative<Undefined>(m_data); }
    bool isNone() const { return std::holds_alternative<None>(m_data); }
    bool isBool() const { return std::holds_alternative<bool>(m_data); }
    bool isInt() const { return std::holds_alternative<int64_t>(m_data); }
    bool isFloat() const { return std::holds_alternative<double>(m_data); }
    bool isNumber() const { return isInt() || isFloat() || isBool(); }
    // A str, Markup included.
    bool isString() const { return std::holds_alternative<std::string>(m_data) || isMarkup(); }
    bool isMarkup() const { return std::holds_alternative<Markup>(m_data); }
    // A list, tuple or generator.
    bool isList() const { return std::holds_alternative<std::shared_ptr<List>>(m_data); }
    bool isGenerator() const { return isList() && asList().kind == ListKind::Generator; }
    bool isDict() const { return std::holds_alternative<std::shared_ptr<Dict>>(m_data); }
    bool isCallable() const {
        return std::holds_alternative<std::shared_ptr<const Callable>>(m_data);
    }

    bool asBool() const { return std::get<bool>(m_data); }
    int64_t asInt() const { return std::get<int64_t>(m_data); }
    // An int or a bool as an int (a Python bool is an int).
    int64_t asInteger() const { return isBool() ? int64_t(asBool()) : asInt(); }
    // An int, bool or float as a double.
    double asDouble() const;
    const std::string& asString() const {
        return isMarkup() ? std::get<Markup>(m_data).text : std::get<std::string>(m_data);
    }
    const List& asList() const { return *std::get<std::shared_ptr<List>>(m_data); }
    const Dict& asDict() const { return *std::get<std::shared_ptr<Dict>>(m_data); }
    // The one mutable value: a namespace's attributes.
    Dict& namespaceDict() const { return *std::get<std::shared_ptr<Dict>>(m_data); }
    const Callable& asCallable() const {
        return *std::get<std::shared_ptr<const Callable>>(m_data);
    }
    const std::string& undefinedHint() const { return std::get<Undefined>(m_data).hint; }

    // Python's bool(): false for undefined, None, 0, "", [] and {}.
    bool truthy() const;
    // Python's str() (what `{{ }}` prints; undefined prints nothing) and repr().
    std::string str() const;
    std::string repr() const;
    // Jinja's name for the type in messages: "str", "int", "list", "dict object"...
    std::string typeName() const;
    // The same object (Jinja's `sameas`): identity for lists, dicts and callables.
    bool isSameObject(const Value& other) const;

private:
    std::variant<Undefined, None, bool, int64_t, double, std::string, std::shared_ptr<List>,
                 std::shared_ptr<Dict>, std::shared_ptr<const Callable>, Markup>
        m_data;
};

// Python's ==, with 1 == 1.0 == True and lists and dicts compared by content.
bool equals(const Value& a, const Value& b);
// Python's <, defined for numbers, strings (code point order) and lists; else an error.
bool lessThan(const Value& a, const Value& b);
// Python's `in`: a substring of a str, an element of a list, a key of a dict.
bool contains(const Value& container, const Value& item);

// The items a `for` or a filter iterates: a list's elements, a dict's keys, a str's code
// points, nothing for undefined; an error for anything else.
std::vector<Value> iterate(const Value& value);

}  // namespace strata::jinja
