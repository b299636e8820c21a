// Optional fields of parsed JSON (simdjson's DOM): the value when the key is present with the
// expected type, a fallback otherwise. Events and summaries grow fields over versions; a reader
// takes what it knows and keeps its default for the rest.
#pragma once

#include <simdjson.h>

#include <string_view>

namespace strata::proto {

// `object` is a simdjson::dom::element or simdjson::dom::object.
template <typename T, typename Object>
T fieldOr(Object object, std::string_view key, T fallback) {
    T value;
    return object[key].get(value) == simdjson::SUCCESS ? value : fallback;
}

}  // namespace strata::proto
