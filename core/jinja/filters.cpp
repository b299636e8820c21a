#include "core/jinja/filters.h"

#include "core/jinja/arguments.h"
#include "core/jinja/attributes.h"
#include "core/jinja/json.h"
#include "core/jinja/python_text.h"
#include "core/jinja/tests.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace strata::jinja {

namespace {

using FilterFunction = Value (*)(const Value& subject, const CallArguments& arguments);

std::string text(const Value& value) {
    return value.str();
}

// Jinja's attribute getter: "a.b.0" reads item a, then b, then index 0.
Value attributePath(const Value& item, const Value& attribute) {
    if (attribute.isInt()) return getItem(item, attribute);
    Value current = item;
    for (const std::string& part : split(attribute.str(), ".")) {
        bool numeric = !part.empty() && std::all_of(part.begin(), part.end(),
                                                    [](char c) { return c >= '0' && c <= '9'; });
        current = getItem(current, numeric ? Value(int64_t(std::stoll(part))) : Value(part));
    }
    return current;
}

// The arguments after the first `skip` positional ones, for a test or filter named in a call.
CallArguments rest(const CallArguments& arguments, size_t skip) {
    CallArguments out;
    for (size_t i = skip; i < arguments.positional.size(); ++i)
        out.positional.push_back(arguments.positional[i]);
    out.keyword = arguments.keyword;
    return out;
}

// select / reject / selectattr / rejectattr.
Value selectItems(const Value& subject, const CallArguments& arguments, bool byAttribute,
                  bool keep) {
    size_t testAt = byAttribute ? 1 : 0;
    if (byAttribute && arguments.positional.empty()) raise("selectattr needs an attribute");
    bool hasTest = arguments.positional.size() > testAt;
    std::string testName = hasTest ? arguments.positional[testAt].str() : "";
    if (hasTest && !isTest(testName)) raise("unknown test '{}'", testName);
    CallArguments testArguments = rest(arguments, testAt + 1);
    std::vector<Value> out;
    if (!subject.truthy()) return Value::generator({});  // Jinja checks `if value` first
    for (const Value& item : iterate(subject)) {
        Value tested = byAttribute ? attributePath(item, arguments.positional[0]) : item;
        bool passes = hasTest ? applyTest(testName, tested, testArguments) : tested.truthy();
        if (passes == keep) out.push_back(item);
    }
    return Value::generator(std::move(out));
}

Value mapItems(const Value& subject, const CallArguments& arguments) {
    std::vector<Value> out;
    if (!subject.truthy()) return Value::generator({});  // Jinja checks `if value` first
    if (arguments.positional.empty()) {
        ArgumentReader args("map", arguments, {"attribute", "default"});
        args.require(0);
        for (const Value& item : iterate(subject)) {
            Value mapped = attributePath(item, args.get(0));
            if (mapped.isUndefined() && args.has(1)) mapped = args.get(1);
            out.push_back(mapped);
        }
        return Value::generator(std::move(out));
    }
    std::string filter = arguments.positional[0].str();
    if (!isFilter(filter)) raise("unknown filter '{}'", filter);
    CallArguments filterArguments = rest(arguments, 1);
    for (const Value& item : iterate(subject))
        out.push_back(applyFilter(filter, item, filterArguments));
    return Value::generator(std::move(out));
}

// The key a sort compares: the attribute if named, lower-cased text unless case-sensitive.
Value sortKey(const Value& item, const Value& attribute, bool caseSensitive) {
    Value key =
        attribute.isUndefined() || attribute.isNone() ? item : attributePath(item, attribute);
    if (!caseSensitive && key.isString()) {
        std::optional<std::string> lowered = lower(key.asString());
        if (!lowered) raise("case-insensitive sorting of text beyond ASCII is not supported");
        return Value(*lowered);
    }
    return key;
}

Value sortItems(const Value& subject, const CallArguments& arguments) {
    ArgumentReader args("sort", arguments, {"reverse", "case_sensitive", "attribute"});
    std::vector<Value> items = iterate(subject);
    bool caseSensitive = args.getBool(1, false);
    Value attribute = args.get(2);
    std::stable_sort(items.begin(), items.end(), [&](const Value& a, const Value& b) {
        return lessThan(sortKey(a, attribute, caseSensitive), sortKey(b, attribute, caseSensitive));
    });
    if (args.getBool(0, false)) std::reverse(items.begin(), items.end());
    return Value(std::move(items));
}

Value dictSort(const Value& subject, const CallArguments& arguments) {
    ArgumentReader args("dictsort", arguments, {"case_sensitive", "by", "reverse"});
    if (!subject.isDict()) raise("dictsort needs a mapping, not {}", subject.typeName());
    std::string by = args.get(1, Value("key")).str();
    if (by != "key" && by != "value") raise("You can only sort by either \"key\" or \"value\"");
    std::vector<Value> items;
    for (const auto& [key, value] : subject.asDict().entries)
        items.emplace_back(List{{Value(key), value}, ListKind::Tuple});
    bool caseSensitive = args.getBool(0, false);
    Value position(int64_t(by == "key" ? 0 : 1));
    std::stable_sort(items.begin(), items.end(), [&](const Value& a, const Value& b) {
        return lessThan(sortKey(getItem(a, position), Value(), caseSensitive),
                        sortKey(getItem(b, position), Value(), caseSensitive));
    });
    if (args.getBool(2, false)) std::reverse(items.begin(), items.end());
    return Value(std::move(items));
}

Value extreme(const Value& subject, const CallArguments& arguments, bool largest) {
    ArgumentReader args(largest ? "max" : "min", arguments, {"case_sensitive", "attribute"});
    std::vector<Value> items = iterate(subject);
    if (items.empty()) return Value::undefined("No aggregated item, sequence was empty.");
    bool caseSensitive = args.getBool(0, false);
    Value attribute = args.get(1);
    const Value* best = &items[0];
    for (const Value& item : items) {
        Value a = sortKey(item, attribute, caseSensitive),
              b = sortKey(*best, attribute, caseSensitive);
        if (largest ? lessThan(b, a) : lessThan(a, b)) best = &item;
    }
    return *best;
}

Value toJsonFilter(const Value& subject, const CallArguments& arguments) {
    ArgumentReader args("tojson", arguments, {"ensure_ascii", "indent", "separators", "sort_keys"});
    JsonStyle style;
    style.ensureAscii = args.getBool(0, false);
    Value indent = args.get(1);
    if (indent.isInt())
        style.indent = std::string(size_t(std::max<int64_t>(indent.asInt(), 0)), ' ');
    else if (indent.isString())
        style.indent = indent.asString();
    else if (!indent.isUndefined() && !indent.isNone())
        raise("tojson indent must be an int or a str, not {}", indent.typeName());
    Value separators = args.get(2);
    if (separators.isList()) {
        const std::vector<Value>& pair = separators.asList().items;
        if (pair.size() != 2 || !pair[0].isString() || !pair[1].isString())
            raise("tojson separators must be two strings");
        style.itemSeparator = pair[0].asString();
        style.keySeparator = pair[1].asString();
    }
    style.sortKeys = args.getBool(3, false);
    return Value(toJson(subject, style));
}

Value indentFilter(const Value& subject, const CallArguments& arguments) {
    ArgumentReader args("indent", arguments, {"width", "first", "blank"});
    Value width = args.get(0, Value(int64_t(4)));
    std::string indention = width.isString()
                                ? width.asString()
                                : std::string(size_t(std::max<int64_t>(width.asInt(), 0)), ' ');
    // Jinja appends a newline before splitting into lines, so a trailing newline is not kept.
    std::vector<std::string> lines = split(text(subject) + "\n", "\n");
    lines.pop_back();
    std::string out;
    for (size_t i = 0; i < lines.size(); ++i) {
        if (i > 0) out += "\n";
        bool indented =
            i == 0 ? args.getBool(1, false) : (args.getBool(2, false) || !lines[i].empty());
        out += (indented ? indention : "") + lines[i];
    }
    return Value(std::move(out));
}

Value roundFilter(const Value& subject, const CallArguments& arguments) {
    ArgumentReader args("round", arguments, {"precision", "method"});
    if (!subject.isNumber()) raise("round needs a number, not {}", subject.typeName());
    double scale = std::pow(10.0, double(args.getInt(0, 0)));
    std::string method = args.get(1, Value("common")).str();
    double value = subject.asDouble() * scale;
    if (method == "common")
        value = std::round(value);
    else if (method == "ceil")
        value = std::ceil(value);
    else if (method == "floor")
        value = std::floor(value);
    else
        raise("method must be common, ceil or floor");
    return Value(value / scale);
}

Value intFilter(const Value& subject, const CallArguments& arguments) {
    ArgumentReader args("int", arguments, {"default", "base"});
    Value fallback = args.get(0, Value(int64_t(0)));
    if (subject.isInt()) return subject;
    if (subject.isBool()) return Value(int64_t(subject.asBool()));
    if (subject.isFloat()) return Value(int64_t(subject.asDouble()));
    if (subject.isString()) {
        std::string trimmed = strip(subject.asString(), StripSide::Both);
        try {
            size_t used = 0;
            int64_t number = std::stoll(trimmed, &used, int(args.getInt(1, 10)));
            if (used == trimmed.size()) return Value(number);
        } catch (const std::exception&) {
        }
        try {
            size_t used = 0;
            double number = std::stod(trimmed, &used);
            if (used == trimmed.size()) return Value(int64_t(number));
        } catch (const std::exception&) {
        }
    }
    return fallback;
}

Value floatFilter(const Value& subject, const CallArguments& arguments) {
    ArgumentReader args("float", arguments, {"default"});
    if (subject.isNumber()) return Value(subject.asDouble());
    if (subject.isString()) {
        std::string trimmed = strip(subject.asString(), StripSide::Both);
        try {
            size_t used = 0;
            double number = std::stod(trimmed, &used);
            if (used == trimmed.size()) return Value(number);
        } catch (const std::exception&) {
        }
    }
    return args.get(0, Value(0.0));
}

Value caseFilter(const char* name, const Value& subject, const CallArguments& arguments,
                 std::optional<std::string> (*change)(std::string_view)) {
    ArgumentReader(name, arguments, {});
    std::optional<std::string> changed = change(text(subject));
    if (!changed) raise("{} of text beyond ASCII is not supported", name);
    return Value(std::move(*changed));
}

Value length(const Value& subject, const CallArguments& arguments) {
    ArgumentReader("length", arguments, {});
    if (subject.isString()) return Value(int64_t(codePointCount(subject.asString())));
    if ((subject.isDict() && subject.asDict().isNamespace) || subject.isGenerator())
        raise("object of type '{}' has no len()", subject.typeName());
    if (subject.isList() || subject.isDict() || subject.isUndefined())
        return Value(int64_t(iterate(subject).size()));
    raise("object of type '{}' has no len()", subject.typeName());
}

struct NamedFilter {
    std::string_view name;
    FilterFunction filter;
};

const std::array kFilters = {
    NamedFilter{"trim", [](const Value& v, const CallArguments& a) {
                    ArgumentReader args("trim", a, {"chars"});
                    Value chars = args.get(0);
                    std::string set = chars.isString() ? chars.asString() : "";
                    return Value(strip(text(v), StripSide::Both,
                                       chars.isString() ? std::optional<std::string_view>(set)
                                                        : std::nullopt));
                }},
    NamedFilter{"length", length},
    NamedFilter{"count", length},
    NamedFilter{"tojson", toJsonFilter},
    NamedFilter{"items", [](const Value& v, const CallArguments& a) {
                    ArgumentReader("items", a, {});
                    if (v.isUndefined()) return Value::generator({});
                    if (!v.isDict() || v.asDict().isNamespace)
                        raise("Can only get item pairs from a mapping.");
                    return Value::generator(
                        getAttribute(v, "items").asCallable().call({}).asList().items);
                }},
    NamedFilter{"join", [](const Value& v, const CallArguments& a) {
                    ArgumentReader args("join", a, {"d", "attribute"});
                    std::string separator = args.get(0, Value("")).str();
                    std::string out;
                    bool first = true;
                    for (const Value& item : iterate(v)) {
                        Value shown = args.has(1) ? attributePath(item, args.get(1)) : item;
                        out += (first ? "" : separator) + shown.str();
                        first = false;
                    }
                    return Value(std::move(out));
                }},
    NamedFilter{"first", [](const Value& v, const CallArguments& a) {
                    ArgumentReader("first", a, {});
                    std::vector<Value> items = iterate(v);
                    return items.empty() ? Value::undefined("No first item, sequence was empty.")
                                         : items.front();
                }},
    NamedFilter{"last", [](const Value& v, const CallArguments& a) {
                    ArgumentReader("last", a, {});
                    if (v.isGenerator()) raise("'generator' object is not reversible");
                    std::vector<Value> items = iterate(v);
                    return items.empty() ? Value::undefined("No last item, sequence was empty.")
                                         : items.back();
                }},
    NamedFilter{"list", [](const Value& v, const CallArguments& a) {
                    ArgumentReader("list", a, {});
                    return Value(iterate(v));
                }},
    NamedFilter{"selectattr", [](const Value& v, const CallArguments& a) {
                    return selectItems(v, a, true, true);
                }},
    NamedFilter{"rejectattr", [](const Value& v, const CallArguments& a) {
                    return selectItems(v, a, true, false);
                }},
    NamedFilter{"select", [](const Value& v, const CallArguments& a) {
                    return selectItems(v, a, false, true);
                }},
    NamedFilter{"reject", [](const Value& v, const CallArguments& a) {
                    return selectItems(v, a, false, false);
                }},
    NamedFilter{"map", mapItems},
    NamedFilter{"string", [](const Value& v, const CallArguments& a) {
                    ArgumentReader("string", a, {});
                    return v.isMarkup() ? v : Value(text(v));
                }},
    NamedFilter{"int", intFilter},
    NamedFilter{"float", floatFilter},
    NamedFilter{"upper", [](const Value& v, const CallArguments& a) {
                    return caseFilter("upper", v, a, upper);
                }},
    NamedFilter{"lower", [](const Value& v, const CallArguments& a) {
                    return caseFilter("lower", v, a, lower);
                }},
    NamedFilter{"title", [](const Value& v, const CallArguments& a) {
                    return caseFilter("title", v, a, title);
                }},
    NamedFilter{"capitalize", [](const Value& v, const CallArguments& a) {
                    return caseFilter("capitalize", v, a, capitalize);
                }},
    NamedFilter{"replace", [](const Value& v, const CallArguments& a) {
                    ArgumentReader args("replace", a, {"old", "new", "count"});
                    return Value(replace(text(v), args.get(0).str(), args.get(1).str(),
                                         args.getInt(2, -1)));
                }},
    NamedFilter{"default", [](const Value& v, const CallArguments& a) {
                    ArgumentReader args("default", a, {"default_value", "boolean"});
                    bool replaced = v.isUndefined() || (args.getBool(1, false) && !v.truthy());
                    return replaced ? args.get(0, Value("")) : v;
                }},
    NamedFilter{"d", [](const Value& v, const CallArguments& a) {
                    return applyFilter("default", v, a);
                }},
    NamedFilter{"abs", [](const Value& v, const CallArguments& a) {
                    ArgumentReader("abs", a, {});
                    if (v.isInt()) return Value(v.asInt() < 0 ? -v.asInt() : v.asInt());
                    if (v.isNumber()) return Value(std::fabs(v.asDouble()));
                    raise("bad operand type for abs(): '{}'", v.typeName());
                }},
    NamedFilter{"round", roundFilter},
    NamedFilter{"sort", sortItems},
    NamedFilter{"dictsort", dictSort},
    NamedFilter{"unique", [](const Value& v, const CallArguments& a) {
                    ArgumentReader args("unique", a, {"case_sensitive", "attribute"});
                    std::vector<Value> out, seen;
                    for (const Value& item : iterate(v)) {
                        Value key = sortKey(item, args.get(1), args.getBool(0, false));
                        if (std::none_of(seen.begin(), seen.end(),
                                         [&](const Value& s) { return equals(s, key); })) {
                            seen.push_back(key);
                            out.push_back(item);
                        }
                    }
                    return Value::generator(std::move(out));
                }},
    NamedFilter{"min", [](const Value& v, const CallArguments& a) { return extreme(v, a, false); }},
    NamedFilter{"max", [](const Value& v, const CallArguments& a) { return extreme(v, a, true); }},
    NamedFilter{"sum", [](const Value& v, const CallArguments& a) {
                    ArgumentReader args("sum", a, {"attribute", "start"});
                    Value total = args.get(1, Value(int64_t(0)));
                    for (const Value& item : iterate(v)) {
                        Value term = args.has(0) ? attributePath(item, args.get(0)) : item;
                        if (!term.isNumber() || !total.isNumber())
                            raise("sum needs numbers, not {}", term.typeName());
                        total = total.isFloat() || term.isFloat()
                                    ? Value(total.asDouble() + term.asDouble())
                                    : Value(int64_t(total.asDouble()) + int64_t(term.asDouble()));
                    }
                    return total;
                }},
    NamedFilter{"reverse", [](const Value& v, const CallArguments& a) {
                    ArgumentReader("reverse", a, {});
                    if (v.isString()) {
                        std::u32string points = codePoints(v.asString());
                        std::reverse(points.begin(), points.end());
                        return Value(utf8Of(points));
                    }
                    // reversed() of a list is an iterator; of a generator, Jinja makes a list.
                    bool wasGenerator = v.isGenerator();
                    std::vector<Value> items = iterate(v);
                    std::reverse(items.begin(), items.end());
                    return wasGenerator ? Value(std::move(items))
                                        : Value::generator(std::move(items));
                }},
    NamedFilter{"indent", indentFilter},
    NamedFilter{"wordcount", [](const Value& v, const CallArguments& a) {
                    ArgumentReader("wordcount", a, {});
                    return Value(int64_t(split(text(v), std::nullopt).size()));
                }},
    NamedFilter{"center", [](const Value& v, const CallArguments& a) {
                    ArgumentReader args("center", a, {"width"});
                    std::string s = text(v);
                    int64_t width = args.getInt(0, 80), size = int64_t(codePointCount(s));
                    if (width <= size) return Value(s);
                    // Python's str.center puts the odd space on the right unless the width is odd.
                    int64_t pad = width - size, left = pad / 2 + (pad & width & 1);
                    return Value(std::string(size_t(left), ' ') + s +
                                 std::string(size_t(pad - left), ' '));
                }},
    NamedFilter{"attr", [](const Value& v, const CallArguments& a) {
                    ArgumentReader args("attr", a, {"name"});
                    return getAttribute(v, args.getString(0));
                }},
    NamedFilter{"safe", [](const Value& v, const CallArguments& a) {
                    ArgumentReader("safe", a, {});
                    return v.isMarkup() ? v : Value(Markup{v.str()});
                }},
};

}  // namespace

bool isFilter(std::string_view name) {
    for (const NamedFilter& filter : kFilters)
        if (filter.name == name) return true;
    return false;
}

Value applyFilter(std::string_view name, const Value& subject, const CallArguments& arguments) {
    // Most filters of a Markup return Markup; only those that do not change it are modelled.
    if (subject.isMarkup() && name != "safe" && name != "string" && name != "length" &&
        name != "count" && name != "tojson" && name != "default" && name != "d")
        raise("the {} filter of Markup is not supported", name);
    for (const NamedFilter& filter : kFilters)
        if (filter.name == name) return filter.filter(subject, arguments);
    raise("unknown filter '{}'", name);
}

}  // namespace strata::jinja
