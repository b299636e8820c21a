#include "core/jinja/attributes.h"

#include "core/jinja/arguments.h"
#include "core/jinja/python_text.h"

#include <algorithm>

namespace strata::jinja {

namespace {

Value missing(const Value& object, std::string_view name) {
    std::string owner = object.isNone() ? "None" : object.typeName();
    if (owner.find(" object") == std::string::npos && !object.isNone()) owner += " object";
    return Value::undefined(fmt::format("'{}' has no attribute '{}'", owner, name));
}

Value method(std::string name, std::function<Value(const CallArguments&)> call) {
    return Value(Callable{std::move(name), std::move(call)});
}

Value unsafeMethod(const Value& object, std::string_view name) {
    std::string message = fmt::format("access to attribute '{}' of '{}' object is unsafe.", name,
                                      object.isList() ? "list" : "dict");
    return method(std::string(name),
                  [message](const CallArguments&) -> Value { raise("{}", message); });
}

std::vector<Value> strings(std::vector<std::string> parts) {
    return std::vector<Value>(parts.begin(), parts.end());
}

// str.startswith / endswith take one prefix or a tuple of them.
bool matchesAffix(const std::string& text, const Value& affixes, bool atStart) {
    auto matches = [&](const Value& affix) {
        if (!affix.isString())
            raise("{} first arg must be str or a tuple of str, not {}",
                  atStart ? "startswith" : "endswith", affix.typeName());
        return atStart ? text.starts_with(affix.asString()) : text.ends_with(affix.asString());
    };
    if (affixes.isList()) {
        for (const Value& affix : affixes.asList().items)
            if (matches(affix)) return true;
        return false;
    }
    return matches(affixes);
}

std::optional<std::string> optionalString(const ArgumentReader& args, size_t index) {
    Value value = args.get(index);
    if (value.isUndefined() || value.isNone()) return std::nullopt;
    if (!value.isString()) raise("expected str or None, not {}", value.typeName());
    return value.asString();
}

Value caseChange(std::string_view name, std::optional<std::string> changed) {
    if (!changed) raise("{}() of text beyond ASCII is not supported", name);
    return Value(std::move(*changed));
}

bool allCodePoints(const std::string& text, bool (*predicate)(char32_t)) {
    std::u32string points = codePoints(text);
    return !points.empty() && std::all_of(points.begin(), points.end(), predicate);
}

// str.format with plain replacement fields: "{}", "{0}", "{name}"; a format spec or a
// conversion is refused rather than approximated.
Value format(const std::string& pattern, const CallArguments& arguments) {
    std::string out;
    size_t nextIndex = 0;
    for (size_t i = 0; i < pattern.size(); ++i) {
        char c = pattern[i];
        if ((c == '{' || c == '}') && i + 1 < pattern.size() && pattern[i + 1] == c) {
            out += c;
            ++i;
            continue;
        }
        if (c == '}') raise("Single '}}' encountered in format string");
        if (c != '{') {
            out += c;
            continue;
        }
        size_t close = pattern.find('}', i);
        if (close == std::string::npos) raise("Single '{{' encountered in format string");
        std::string field = pattern.substr(i + 1, close - i - 1);
        if (field.find_first_of(":!.[") != std::string::npos)
            raise("format fields with a spec, conversion or lookup are not supported");
        const Value* value = nullptr;
        if (field.empty() ||
            std::all_of(field.begin(), field.end(), [](char d) { return d >= '0' && d <= '9'; })) {
            size_t index = field.empty() ? nextIndex++ : size_t(std::stoul(field));
            if (index >= arguments.positional.size())
                raise("Replacement index {} out of range for positional args tuple", index);
            value = &arguments.positional[index];
        } else {
            for (const auto& [key, argument] : arguments.keyword)
                if (key == field) value = &argument;
            if (!value) raise("'{}'", field);
        }
        out += value->str();
        i = close;
    }
    return Value(std::move(out));
}

Value stringMethod(const std::string& text, std::string_view name) {
    const std::string self = text;
    auto bind = [&](auto body) {
        return method(std::string(name),
                      [self, body, name = std::string(name)](const CallArguments& arguments) {
                          return body(self, name, arguments);
                      });
    };
    if (name == "startswith" || name == "endswith")
        return bind([](const std::string& s, const std::string& n, const CallArguments& a) {
            ArgumentReader args(n, a, {"prefix"});
            args.require(0);
            return Value(matchesAffix(s, args.get(0), n == "startswith"));
        });
    if (name == "strip" || name == "lstrip" || name == "rstrip")
        return bind([](const std::string& s, const std::string& n, const CallArguments& a) {
            ArgumentReader args(n, a, {"chars"});
            StripSide side = n == "strip"    ? StripSide::Both
                             : n == "lstrip" ? StripSide::Left
                                             : StripSide::Right;
            std::optional<std::string> chars = optionalString(args, 0);
            return Value(
                strip(s, side, chars ? std::optional<std::string_view>(*chars) : std::nullopt));
        });
    if (name == "split" || name == "rsplit")
        return bind([](const std::string& s, const std::string& n, const CallArguments& a) {
            ArgumentReader args(n, a, {"sep", "maxsplit"});
            std::optional<std::string> separator = optionalString(args, 0);
            if (separator && separator->empty()) raise("empty separator");
            int64_t maxSplits = args.getInt(1, -1);
            auto view = separator ? std::optional<std::string_view>(*separator) : std::nullopt;
            return Value(
                strings(n == "split" ? split(s, view, maxSplits) : rsplit(s, view, maxSplits)));
        });
    if (name == "splitlines")
        return bind([](const std::string& s, const std::string& n, const CallArguments& a) {
            ArgumentReader args(n, a, {"keepends"});
            if (args.getBool(0, false)) raise("splitlines(keepends=True) is not supported");
            std::vector<std::string> lines = split(s, "\n");
            if (!lines.empty() && lines.back().empty()) lines.pop_back();
            for (std::string& line : lines)
                if (!line.empty() && line.back() == '\r') line.pop_back();
            return Value(strings(std::move(lines)));
        });
    if (name == "format")
        return bind([](const std::string& s, const std::string&, const CallArguments& a) {
            return format(s, a);
        });
    if (name == "replace")
        return bind([](const std::string& s, const std::string& n, const CallArguments& a) {
            ArgumentReader args(n, a, {"old", "new", "count"});
            return Value(replace(s, args.getString(0), args.getString(1), args.getInt(2, -1)));
        });
    if (name == "upper" || name == "lower" || name == "title" || name == "capitalize")
        return bind([](const std::string& s, const std::string& n, const CallArguments& a) {
            ArgumentReader args(n, a, {});
            return caseChange(n, n == "upper"   ? upper(s)
                                 : n == "lower" ? lower(s)
                                 : n == "title" ? title(s)
                                                : capitalize(s));
        });
    if (name == "find" || name == "rfind" || name == "index" || name == "count")
        return bind([](const std::string& s, const std::string& n, const CallArguments& a) {
            ArgumentReader args(n, a, {"sub"});
            std::string sub = args.getString(0);
            if (n == "count") {
                if (sub.empty()) return Value(int64_t(codePointCount(s) + 1));
                int64_t count = 0;
                for (size_t pos = s.find(sub); pos != std::string::npos;
                     pos = s.find(sub, pos + sub.size()))
                    ++count;
                return Value(count);
            }
            size_t found = n == "rfind" ? s.rfind(sub) : s.find(sub);
            if (found == std::string::npos) {
                if (n == "index") raise("substring not found");
                return Value(int64_t(-1));
            }
            return Value(int64_t(codePointCount(std::string_view(s).substr(0, found))));
        });
    if (name == "join")
        return bind([](const std::string& s, const std::string& n, const CallArguments& a) {
            ArgumentReader args(n, a, {"iterable"});
            std::string out;
            bool first = true;
            for (const Value& item : iterate(args.get(0))) {
                if (!item.isString())
                    raise("sequence item: expected str instance, {} found", item.typeName());
                out += (first ? "" : s) + item.asString();
                first = false;
            }
            return Value(std::move(out));
        });
    if (name == "isdigit" || name == "isspace" || name == "isalpha" || name == "isalnum" ||
        name == "isupper" || name == "islower")
        return bind([](const std::string& s, const std::string& n, const CallArguments& a) {
            ArgumentReader args(n, a, {});
            auto ascii = [&](bool (*predicate)(char32_t)) {
                for (unsigned char c : s)
                    if (c >= 0x80) raise("{}() of text beyond ASCII is not supported", n);
                return Value(allCodePoints(s, predicate));
            };
            if (n == "isspace") return Value(allCodePoints(s, isPythonSpace));
            if (n == "isdigit") return ascii([](char32_t c) { return c >= '0' && c <= '9'; });
            if (n == "isalpha")
                return ascii([](char32_t c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; });
            if (n == "isalnum")
                return ascii([](char32_t c) {
                    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
                });
            // isupper / islower: some cased letter, and none of the other case.
            bool wantUpper = n == "isupper";
            bool cased = false;
            for (unsigned char c : s) {
                if (c >= 0x80) raise("{}() of text beyond ASCII is not supported", n);
                bool isUpper = c >= 'A' && c <= 'Z', isLower = c >= 'a' && c <= 'z';
                if ((wantUpper && isLower) || (!wantUpper && isUpper)) return Value(false);
                cased |= isUpper || isLower;
            }
            return Value(cased);
        });
    return Value::undefined(fmt::format("'str object' has no attribute '{}'", name));
}

Value dictMethod(const Value& object, std::string_view name) {
    const Value self = object;
    if (name == "items" || name == "keys" || name == "values")
        return method(std::string(name), [self, name = std::string(name)](const CallArguments& a) {
            ArgumentReader args(name, a, {});
            std::vector<Value> out;
            for (const auto& [key, value] : self.asDict().entries) {
                if (name == "keys")
                    out.emplace_back(key);
                else if (name == "values")
                    out.push_back(value);
                else
                    out.emplace_back(List{{Value(key), value}, ListKind::Tuple});
            }
            return Value(std::move(out));
        });
    if (name == "get")
        return method("get", [self](const CallArguments& a) {
            ArgumentReader args("get", a, {"key", "default"});
            args.require(0);
            Value key = args.get(0);
            const Value* found = key.isString() ? self.asDict().find(key.asString()) : nullptr;
            return found ? *found : args.get(1, Value(None{}));
        });
    if (name == "update" || name == "pop" || name == "popitem" || name == "setdefault" ||
        name == "clear" || name == "copy")
        return unsafeMethod(object, name);
    return Value();
}

Value listMethod(const Value& object, std::string_view name) {
    const Value self = object;
    if (name == "index" || name == "count")
        return method(std::string(name), [self, name = std::string(name)](const CallArguments& a) {
            ArgumentReader args(name, a, {"value"});
            args.require(0);
            const std::vector<Value>& items = self.asList().items;
            int64_t count = 0;
            for (size_t i = 0; i < items.size(); ++i) {
                if (!equals(items[i], args.get(0))) continue;
                if (name == "index") return Value(int64_t(i));
                ++count;
            }
            if (name == "index") raise("{} is not in list", args.get(0).repr());
            return Value(count);
        });
    if (name == "append" || name == "extend" || name == "insert" || name == "pop" ||
        name == "remove" || name == "reverse" || name == "sort" || name == "clear")
        return unsafeMethod(object, name);
    return Value();
}

// Python's index into a sequence of `size`, or nullopt when out of range.
std::optional<size_t> normalizedIndex(const Value& key, size_t size) {
    int64_t index = key.isBool() ? int64_t(key.asBool()) : key.asInt();
    if (index < 0) index += int64_t(size);
    if (index < 0 || index >= int64_t(size)) return std::nullopt;
    return size_t(index);
}

}  // namespace

Value getAttribute(const Value& object, std::string_view name) {
    if (object.isUndefined()) raise("{}", object.undefinedHint());
    if (object.isMarkup()) raise("Markup's methods are not supported");
    if (object.isDict()) {
        if (object.asDict().isNamespace) {
            if (const Value* value = object.asDict().find(name)) return *value;
            return Value::undefined(fmt::format("'Namespace object' has no attribute '{}'", name));
        }
        Value bound = dictMethod(object, name);
        if (!bound.isUndefined()) return bound;
        if (const Value* value = object.asDict().find(name)) return *value;
        return missing(object, name);
    }
    if (object.isString()) return stringMethod(object.asString(), name);
    if (object.isList() && !object.isGenerator()) {
        Value bound = listMethod(object, name);
        if (!bound.isUndefined()) return bound;
    }
    return missing(object, name);
}

Value getItem(const Value& object, const Value& key) {
    if (object.isUndefined()) raise("{}", object.undefinedHint());
    if (object.isGenerator()) raise("'generator' object is not subscriptable");
    if (object.isMarkup()) raise("indexing Markup is not supported");
    if (object.isDict() && !object.asDict().isNamespace && key.isString()) {
        if (const Value* value = object.asDict().find(key.asString())) return *value;
        return getAttribute(object, key.asString());
    }
    if ((object.isList() || object.isString()) && (key.isInt() || key.isBool())) {
        if (object.isList()) {
            const std::vector<Value>& items = object.asList().items;
            if (std::optional<size_t> index = normalizedIndex(key, items.size()))
                return items[*index];
        } else {
            std::u32string points = codePoints(object.asString());
            if (std::optional<size_t> index = normalizedIndex(key, points.size()))
                return Value(utf8Of(std::u32string_view(points).substr(*index, 1)));
        }
    } else if (key.isString()) {
        return getAttribute(object, key.asString());
    }
    return missing(object, key.str());
}

Value getSlice(const Value& object, const Value& start, const Value& stop, const Value& step) {
    if (object.isUndefined()) raise("{}", object.undefinedHint());
    if (object.isMarkup()) raise("slicing Markup is not supported");
    if ((!object.isList() && !object.isString()) || object.isGenerator())
        raise("'{}' object is not subscriptable", object.typeName());
    auto bound = [](const Value& value) -> std::optional<int64_t> {
        if (value.isUndefined() || value.isNone()) return std::nullopt;
        if (!value.isInt()) raise("slice indices must be integers or None");
        return value.asInt();
    };
    int64_t stride = bound(step).value_or(1);
    if (stride == 0) raise("slice step cannot be zero");
    std::u32string points;
    int64_t size;
    if (object.isString()) {
        points = codePoints(object.asString());
        size = int64_t(points.size());
    } else {
        size = int64_t(object.asList().items.size());
    }
    // Python's slice.indices().
    auto clamp = [&](std::optional<int64_t> index, int64_t omitted) {
        if (!index) return omitted;
        int64_t i = *index < 0 ? *index + size : *index;
        if (stride > 0) return std::clamp<int64_t>(i, 0, size);
        return std::clamp<int64_t>(i, -1, size - 1);
    };
    int64_t first = clamp(bound(start), stride > 0 ? 0 : size - 1);
    int64_t last = clamp(bound(stop), stride > 0 ? size : -1);
    std::vector<int64_t> indices;
    for (int64_t i = first; stride > 0 ? i < last : i > last; i += stride)
        indices.push_back(i);
    if (object.isString()) {
        std::u32string out;
        for (int64_t i : indices)
            out += points[size_t(i)];
        return Value(utf8Of(out));
    }
    std::vector<Value> out;
    for (int64_t i : indices)
        out.push_back(object.asList().items[size_t(i)]);
    return Value(List{std::move(out), object.asList().kind});
}

}  // namespace strata::jinja
