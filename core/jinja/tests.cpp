#include "core/jinja/tests.h"

#include "core/jinja/arguments.h"
#include "core/jinja/python_text.h"

#include <array>
#include <cmath>

namespace strata::jinja {

namespace {

using TestFunction = bool (*)(const Value& subject, const CallArguments& arguments);

bool noArguments(std::string_view name, const CallArguments& arguments) {
    ArgumentReader(name, arguments, {});
    return true;
}

// The argument of a comparison test (`equalto 3`, `gt(2)`).
Value other(std::string_view name, const CallArguments& arguments) {
    ArgumentReader args(name, arguments, {"other"});
    args.require(0);
    return args.get(0);
}

struct NamedTest {
    std::string_view name;
    TestFunction test;
};

const std::array kTests = {
    NamedTest{"defined",
              [](const Value& v, const CallArguments& a) {
                  return noArguments("defined", a) && !v.isUndefined();
              }},
    NamedTest{"undefined",
              [](const Value& v, const CallArguments& a) {
                  return noArguments("undefined", a) && v.isUndefined();
              }},
    NamedTest{"none", [](const Value& v,
                         const CallArguments& a) { return noArguments("none", a) && v.isNone(); }},
    NamedTest{"boolean",
              [](const Value& v, const CallArguments& a) {
                  return noArguments("boolean", a) && v.isBool();
              }},
    NamedTest{"true",
              [](const Value& v, const CallArguments& a) {
                  return noArguments("true", a) && v.isBool() && v.asBool();
              }},
    NamedTest{"false",
              [](const Value& v, const CallArguments& a) {
                  return noArguments("false", a) && v.isBool() && !v.asBool();
              }},
    NamedTest{"integer",
              [](const Value& v, const CallArguments& a) {
                  return noArguments("integer", a) && v.isInt();
              }},
    NamedTest{"float",
              [](const Value& v, const CallArguments& a) {
                  return noArguments("float", a) && v.isFloat();
              }},
    NamedTest{"number",
              [](const Value& v, const CallArguments& a) {
                  return noArguments("number", a) && v.isNumber();
              }},
    NamedTest{"string",
              [](const Value& v, const CallArguments& a) {
                  return noArguments("string", a) && v.isString();
              }},
    NamedTest{"mapping",
              [](const Value& v, const CallArguments& a) {
                  return noArguments("mapping", a) && v.isDict() && !v.asDict().isNamespace;
              }},
    NamedTest{"iterable",
              [](const Value& v, const CallArguments& a) {
                  return noArguments("iterable", a) &&
                         (v.isString() || v.isList() || v.isUndefined() ||
                          (v.isDict() && !v.asDict().isNamespace));
              }},
    NamedTest{"sequence",
              [](const Value& v, const CallArguments& a) {
                  return noArguments("sequence", a) &&
                         (v.isString() || (v.isList() && !v.isGenerator()) || v.isUndefined() ||
                          (v.isDict() && !v.asDict().isNamespace));
              }},
    NamedTest{"callable",
              [](const Value& v, const CallArguments& a) {
                  return noArguments("callable", a) && v.isCallable();
              }},
    NamedTest{"odd",
              [](const Value& v, const CallArguments& a) {
                  noArguments("odd", a);
                  if (!v.isInt()) raise("odd needs an integer, not {}", v.typeName());
                  return v.asInt() % 2 != 0;
              }},
    NamedTest{"even",
              [](const Value& v, const CallArguments& a) {
                  noArguments("even", a);
                  if (!v.isInt()) raise("even needs an integer, not {}", v.typeName());
                  return v.asInt() % 2 == 0;
              }},
    NamedTest{"divisibleby",
              [](const Value& v, const CallArguments& a) {
                  ArgumentReader args("divisibleby", a, {"num"});
                  int64_t divisor = args.getInt(0, 0);
                  if (!v.isInt() || divisor == 0) raise("divisibleby needs integers");
                  return v.asInt() % divisor == 0;
              }},
    NamedTest{"lower",
              [](const Value& v, const CallArguments& a) {
                  noArguments("lower", a);
                  std::optional<std::string> lowered =
                      v.isString() ? lower(v.asString()) : std::nullopt;
                  if (!lowered) raise("the lower test needs ASCII text");
                  return *lowered == v.asString();
              }},
    NamedTest{"upper",
              [](const Value& v, const CallArguments& a) {
                  noArguments("upper", a);
                  std::optional<std::string> raised =
                      v.isString() ? upper(v.asString()) : std::nullopt;
                  if (!raised) raise("the upper test needs ASCII text");
                  return *raised == v.asString();
              }},
    NamedTest{"sameas", [](const Value& v,
                           const CallArguments& a) { return v.isSameObject(other("sameas", a)); }},
    NamedTest{"in",
              [](const Value& v, const CallArguments& a) { return contains(other("in", a), v); }},
    NamedTest{"equalto", [](const Value& v,
                            const CallArguments& a) { return equals(v, other("equalto", a)); }},
    NamedTest{"eq",
              [](const Value& v, const CallArguments& a) { return equals(v, other("eq", a)); }},
    NamedTest{"==",
              [](const Value& v, const CallArguments& a) { return equals(v, other("==", a)); }},
    NamedTest{"ne",
              [](const Value& v, const CallArguments& a) { return !equals(v, other("ne", a)); }},
    NamedTest{"!=",
              [](const Value& v, const CallArguments& a) { return !equals(v, other("!=", a)); }},
    NamedTest{"lt",
              [](const Value& v, const CallArguments& a) { return lessThan(v, other("lt", a)); }},
    NamedTest{"lessthan", [](const Value& v,
                             const CallArguments& a) { return lessThan(v, other("lessthan", a)); }},
    NamedTest{"<",
              [](const Value& v, const CallArguments& a) { return lessThan(v, other("<", a)); }},
    NamedTest{"le",
              [](const Value& v, const CallArguments& a) { return !lessThan(other("le", a), v); }},
    NamedTest{"<=",
              [](const Value& v, const CallArguments& a) { return !lessThan(other("<=", a), v); }},
    NamedTest{"gt",
              [](const Value& v, const CallArguments& a) { return lessThan(other("gt", a), v); }},
    NamedTest{"greaterthan",
              [](const Value& v,
                 const CallArguments& a) { return lessThan(other("greaterthan", a), v); }},
    NamedTest{">",
              [](const Value& v, const CallArguments& a) { return lessThan(other(">", a), v); }},
    NamedTest{"ge",
              [](const Value& v, const CallArguments& a) { return !lessThan(v, other("ge", a)); }},
    NamedTest{">=",
              [](const Value& v, const CallArguments& a) { return !lessThan(v, other(">=", a)); }},
};

}  // namespace

bool isTest(std::string_view name) {
    for (const NamedTest& test : kTests)
        if (test.name == name) return true;
    return false;
}

bool applyTest(std::string_view name, const Value& subject, const CallArguments& arguments) {
    for (const NamedTest& test : kTests)
        if (test.name == name) return test.test(subject, arguments);
    raise("unknown test '{}'", name);
}

}  // namespace strata::jinja
