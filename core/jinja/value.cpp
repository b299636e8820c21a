#include "core/jinja/value.h"

#include "core/jinja/python_text.h"

namespace strata::jinja {

const Value* Dict::find(std::string_view key) const {
    for (const auto& [name, value] : entries)
        if (name == key) return &value;
    return nullptr;
}

Value* Dict::find(std::string_view key) {
    for (auto& [name, value] : entries)
        if (name == key) return &value;
    return nullptr;
}

void Dict::set(std::string key, Value value) {
    if (Value* existing = find(key))
        *existing = std::move(value);
    else
        entries.emplace_back(std::move(key), std::move(value));
}

double Value::asDouble() const {
    if (isFloat()) return std::get<double>(m_data);
    if (isBool()) return asBool() ? 1.0 : 0.0;
    return double(asInt());
}

bool Value::truthy() const {
    return std::visit(
        [](const auto& v) -> bool {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, Undefined> || std::is_same_v<T, None>)
                return false;
            else if constexpr (std::is_same_v<T, bool>)
                return v;
            else if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, double>)
                return v != 0;
            else if constexpr (std::is_same_v<T, std::string>)
                return !v.empty();
            else if constexpr (std::is_same_v<T, Markup>)
                return !v.text.empty();
            else if constexpr (std::is_same_v<T, std::shared_ptr<List>>)
                return v->kind == ListKind::Generator || !v->items.empty();
            else if constexpr (std::is_same_v<T, std::shared_ptr<Dict>>)
                return v->isNamespace || !v->entries.empty();
            else
                return true;
        },
        m_data);
}

std::string Value::str() const {
    if (isUndefined()) return "";
    if (isString()) return asString();
    return repr();
}

std::string Value::repr() const {
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, Undefined>) {
                return "";
            } else if constexpr (std::is_same_v<T, None>) {
                return "None";
            } else if constexpr (std::is_same_v<T, bool>) {
                return v ? "True" : "False";
            } else if constexpr (std::is_same_v<T, int64_t>) {
                return std::to_string(v);
            } else if constexpr (std::is_same_v<T, double>) {
                return pythonFloatRepr(v);
            } else if constexpr (std::is_same_v<T, std::string>) {
                return pythonRepr(v);
            } else if constexpr (std::is_same_v<T, Markup>) {
                return "Markup(" + pythonRepr(v.text) + ")";
            } else if constexpr (std::is_same_v<T, std::shared_ptr<List>>) {
                // Python prints a generator's address, which no one can reproduce.
                if (v->kind == ListKind::Generator) raise("a generator cannot be printed");
                bool tuple = v->kind == ListKind::Tuple;
                std::string out = tuple ? "(" : "[";
                for (size_t i = 0; i < v->items.size(); ++i)
                    out += (i ? ", " : "") + v->items[i].repr();
                if (tuple && v->items.size() == 1) out += ",";
                return out + (tuple ? ")" : "]");
            } else if constexpr (std::is_same_v<T, std::shared_ptr<Dict>>) {
                std::string out = v->isNamespace ? "<Namespace {" : "{";
                bool first = true;
                for (const auto& [key, item] : v->entries) {
                    out += (first ? "" : ", ") + pythonRepr(key) + ": " + item.repr();
                    first = false;
                }
                return out + (v->isNamespace ? "}>" : "}");
            } else {
                return "<function " + v->name + ">";
            }
        },
        m_data);
}

std::string Value::typeName() const {
    constexpr const char* kNames[] = {"Undefined", "NoneType", "bool",        "int",      "float",
                                      "str",       "list",     "dict object", "function", "Markup"};
    if (isList() && asList().kind == ListKind::Tuple) return "tuple";
    if (isGenerator()) return "generator";
    if (isDict() && asDict().isNamespace) return "Namespace";
    return kNames[m_data.index()];
}

bool Value::isSameObject(const Value& other) const {
    if (m_data.index() != other.m_data.index()) return false;
    if (isList()) return &asList() == &other.asList();
    if (isDict()) return &asDict() == &other.asDict();
    if (isCallable()) return &asCallable() == &other.asCallable();
    return equals(*this, other);
}

bool equals(const Value& a, const Value& b) {
    if (a.isNumber() && b.isNumber()) {
        if (a.isFloat() || b.isFloat()) return a.asDouble() == b.asDouble();
        return a.asInteger() == b.asInteger();
    }
    if (a.isUndefined() || b.isUndefined()) return a.isUndefined() && b.isUndefined();
    if (a.isNone() || b.isNone()) return a.isNone() && b.isNone();
    if (a.isString() && b.isString()) return a.asString() == b.asString();
    if (a.isList() && b.isList()) {
        const List &x = a.asList(), &y = b.asList();
        if (x.kind == ListKind::Generator || y.kind == ListKind::Generator) return &x == &y;
        if (x.kind != y.kind || x.items.size() != y.items.size()) return false;
        for (size_t i = 0; i < x.items.size(); ++i)
            if (!equals(x.items[i], y.items[i])) return false;
        return true;
    }
    if (a.isDict() && b.isDict()) {
        const Dict &x = a.asDict(), &y = b.asDict();
        if (x.isNamespace || y.isNamespace) return &x == &y;
        if (x.entries.size() != y.entries.size()) return false;
        for (const auto& [key, value] : x.entries) {
            const Value* other = y.find(key);
            if (!other || !equals(value, *other)) return false;
        }
        return true;
    }
    if (a.isCallable() && b.isCallable()) return a.isSameObject(b);
    return false;
}

bool lessThan(const Value& a, const Value& b) {
    if (a.isNumber() && b.isNumber()) {
        if (a.isFloat() || b.isFloat()) return a.asDouble() < b.asDouble();
        return a.asInteger() < b.asInteger();
    }
    // UTF-8 byte order is code point order.
    if (a.isString() && b.isString()) return a.asString() < b.asString();
    if (a.isList() && b.isList() && !a.isGenerator() && !b.isGenerator()) {
        const std::vector<Value>&x = a.asList().items, &y = b.asList().items;
        for (size_t i = 0; i < x.size() && i < y.size(); ++i)
            if (!equals(x[i], y[i])) return lessThan(x[i], y[i]);
        return x.size() < y.size();
    }
    raise("'<' not supported between instances of '{}' and '{}'", a.typeName(), b.typeName());
}

bool contains(const Value& container, const Value& item) {
    if (container.isString()) {
        if (!item.isString())
            raise("'in <string>' requires string as left operand, not {}", item.typeName());
        return container.asString().find(item.asString()) != std::string::npos;
    }
    if (container.isDict()) return item.isString() && container.asDict().find(item.asString());
    if (container.isUndefined()) return false;
    if (container.isList()) {
        for (const Value& element : container.asList().items)
            if (equals(element, item)) return true;
        return false;
    }
    raise("argument of type '{}' is not iterable", container.typeName());
}

std::vector<Value> iterate(const Value& value) {
    if (value.isList()) return value.asList().items;
    if (value.isUndefined()) return {};
    std::vector<Value> out;
    if (value.isDict() && !value.asDict().isNamespace) {
        for (const auto& entry : value.asDict().entries)
            out.emplace_back(entry.first);
        return out;
    }
    if (value.isString()) {
        for (char32_t c : codePoints(value.asString()))
            out.emplace_back(utf8Of(std::u32string_view(&c, 1)));
        return out;
    }
    raise("'{}' object is not iterable", value.typeName());
}

}  // namespace strata::jinja
