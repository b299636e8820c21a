// JSON in and out of template values: the conversations, tools and variables a template renders
// arrive as JSON, and the `tojson` filter writes JSON exactly as transformers' override of it
// does, which is Python's json.dumps with ensure_ascii=False by default.
#pragma once

#include "core/jinja/value.h"

#include <optional>
#include <string>
#include <string_view>

namespace strata::jinja {

// Parses one JSON document; throws common::Error naming the problem. Object keys keep their order.
Value parseJson(std::string_view json);

// json.dumps' options: `indent` (nullopt: one line) and the separators between items and
// between a key and its value (defaults as json.dumps picks them for the indent).
struct JsonStyle {
    bool ensureAscii = false;
    std::optional<std::string> indent;
    std::optional<std::string> itemSeparator;
    std::optional<std::string> keySeparator;
    bool sortKeys = false;
};

// Throws TemplateError for what JSON cannot hold (undefined, callables, namespaces).
std::string toJson(const Value& value, const JsonStyle& style = {});

}  // namespace strata::jinja
