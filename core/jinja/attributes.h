// How `value.name`, `value[key]` and `value[a:b:c]` read a value, as Jinja's sandbox does: a
// dict's methods (items, keys, values, get) before its keys for `.name`, its keys before its
// methods for `[key]`; the str methods templates call (startswith, split, strip, replace...);
// Python's indexing and slicing by code point. What is missing reads as undefined; methods that
// would change a list or dict raise, as in transformers' immutable sandbox.
#pragma once

#include "core/jinja/value.h"

#include <string_view>

namespace strata::jinja {

Value getAttribute(const Value& object, std::string_view name);
Value getItem(const Value& object, const Value& key);
// Python's object[start:stop:step]; undefined or None bounds are omitted ones.
Value getSlice(const Value& object, const Value& start, const Value& stop, const Value& step);

}  // namespace strata::jinja
