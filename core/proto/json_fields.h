// Fields of parsed JSON (simdjson's DOM). Optional ones: the value when the key is present with
// the expected type, a fallback otherwise; events and summaries grow fields over versions, and a
// reader takes what it knows and keeps its default for the rest. Required ones: what a reply
// cannot do without, an error naming the key when it is missing.
#pragma once

#include "core/common/error.h"

#include <simdjson.h>

#include <string_view>

namespace strata::proto {

// `object` is a simdjson::dom::element or simdjson::dom::object.
template <typename T, typename Object>
T fieldOr(Object object, std::string_view key, T fallback) {
    T value;
    return object[key].get(value) == simdjson::SUCCESS ? value : fallback;
}

// Throws common::Error "`what` lacks "key" (or it has another type)".
template <typename T, typename Object>
T requiredField(Object object, std::string_view key, std::string_view what) {
    T value;
    if (object[key].get(value)) common::fail("{} lacks \"{}\" (or it has another type)", what, key);
    return value;
}

}  // namespace strata::proto
