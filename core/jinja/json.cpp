#include "core/jinja/json.h"

#include "core/common/error.h"
#include "core/common/utf8.h"
#include "core/jinja/python_text.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>

namespace strata::jinja {

namespace {

Value fromElement(simdjson::dom::element element) {
    switch (element.type()) {
        case simdjson::dom::element_type::ARRAY: {
            std::vector<Value> items;
            for (simdjson::dom::element item : element.get_array())
                items.push_back(fromElement(item));
            return Value(std::move(items));
        }
        case simdjson::dom::element_type::OBJECT: {
            Dict dict;
            for (simdjson::dom::key_value_pair field : element.get_object())
                dict.set(std::string(field.key), fromElement(field.value));
            return Value(std::move(dict));
        }
        case simdjson::dom::element_type::INT64:
            return Value(int64_t(element.get_int64()));
        case simdjson::dom::element_type::UINT64:
            common::fail("JSON integer {} is too large for a template",
                         uint64_t(element.get_uint64()));
        case simdjson::dom::element_type::DOUBLE:
            return Value(double(element.get_double()));
        case simdjson::dom::element_type::STRING:
            return Value(std::string_view(element.get_string()));
        case simdjson::dom::element_type::BOOL:
            return Value(bool(element.get_bool()));
        case simdjson::dom::element_type::NULL_VALUE:
            return Value(None{});
    }
    return Value(None{});
}

void appendString(std::string& out, std::string_view text, bool ensureAscii) {
    out += '"';
    for (char32_t c : codePoints(text)) {
        switch (c) {
            case U'"':
                out += "\\\"";
                break;
            case U'\\':
                out += "\\\\";
                break;
            case U'\n':
                out += "\\n";
                break;
            case U'\r':
                out += "\\r";
                break;
            case U'\t':
                out += "\\t";
                break;
            case U'\b':
                out += "\\b";
                break;
            case U'\f':
                out += "\\f";
                break;
            default: {
                char buffer[16];
                if (c < 0x20 || (ensureAscii && c > 0x7E)) {
                    if (c > 0xFFFF) {  // a surrogate pair, as Python writes it
                        char32_t v = c - 0x10000;
                        std::snprintf(buffer, sizeof buffer, "\\u%04x\\u%04x",
                                      unsigned(0xD800 + (v >> 10)), unsigned(0xDC00 + (v & 0x3FF)));
                    } else {
                        std::snprintf(buffer, sizeof buffer, "\\u%04x", unsigned(c));
                    }
                    out += buffer;
                } else {
                    common::appendUtf8(out, c);
                }
            }
        }
    }
    out += '"';
}

class JsonDumper {
public:
    explicit JsonDumper(const JsonStyle& style) : m_style(style) {
        m_itemSeparator = style.itemSeparator.value_or(style.indent ? "," : ", ");
        m_keySeparator = style.keySeparator.value_or(": ");
    }

    void dump(const Value& value, int depth) {
        if (value.isNone()) {
            m_out += "null";
        } else if (value.isBool()) {
            m_out += value.asBool() ? "true" : "false";
        } else if (value.isInt()) {
            m_out += std::to_string(value.asInt());
        } else if (value.isFloat()) {
            double number = value.asDouble();
            m_out += std::isnan(number)   ? "NaN"
                     : std::isinf(number) ? (number < 0 ? "-Infinity" : "Infinity")
                                          : pythonFloatRepr(number);
        } else if (value.isString()) {
            appendString(m_out, value.asString(), m_style.ensureAscii);
        } else if (value.isList() && !value.isGenerator()) {
            const std::vector<Value>& items = value.asList().items;
            if (items.empty()) {
                m_out += "[]";
                return;
            }
            m_out += '[';
            for (size_t i = 0; i < items.size(); ++i) {
                if (i) m_out += m_itemSeparator;
                newline(depth + 1);
                dump(items[i], depth + 1);
            }
            newline(depth);
            m_out += ']';
        } else if (value.isDict() && !value.asDict().isNamespace) {
            std::vector<const std::pair<std::string, Value>*> entries;
            for (const auto& entry : value.asDict().entries)
                entries.push_back(&entry);
            if (entries.empty()) {
                m_out += "{}";
                return;
            }
            if (m_style.sortKeys)
                std::stable_sort(entries.begin(), entries.end(),
                                 [](auto* a, auto* b) { return a->first < b->first; });
            m_out += '{';
            for (size_t i = 0; i < entries.size(); ++i) {
                if (i) m_out += m_itemSeparator;
                newline(depth + 1);
                appendString(m_out, entries[i]->first, m_style.ensureAscii);
                m_out += m_keySeparator;
                dump(entries[i]->second, depth + 1);
            }
            newline(depth);
            m_out += '}';
        } else {
            raise("Object of type {} is not JSON serializable", value.typeName());
        }
    }

    std::string take() { return std::move(m_out); }

private:
    void newline(int depth) {
        if (!m_style.indent) return;
        m_out += '\n';
        for (int i = 0; i < depth; ++i)
            m_out += *m_style.indent;
    }

    const JsonStyle& m_style;
    std::string m_itemSeparator, m_keySeparator;
    std::string m_out;
};

}  // namespace

Value parseJson(std::string_view json) {
    simdjson::dom::parser parser;
    simdjson::padded_string padded(json);
    simdjson::dom::element root;
    if (auto error = parser.parse(padded).get(root))
        common::fail("invalid JSON for a template: {}", simdjson::error_message(error));
    return fromElement(root);
}

std::string toJson(const Value& value, const JsonStyle& style) {
    JsonDumper dumper(style);
    dumper.dump(value, 0);
    return dumper.take();
}

}  // namespace strata::jinja
