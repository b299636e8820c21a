// core/jinja on its own, each expectation as Jinja 3.1 under transformers renders it: Jinja's
// whitespace rules, Python's semantics for the values, the filters, tests and methods chat
// templates use, and errors that name the template line. The real chat templates are compared with
// transformers in tests/core/tokenizer/tst_chat_templates.
#include "core/common/error.h"
#include "core/jinja/json.h"
#include "core/jinja/template.h"

#include <QtTest>

using namespace strata;
using namespace strata::jinja;

namespace {

std::string render(const std::string& source, const std::string& variablesJson = "{}") {
    Template compiled(source, "chat template");
    return compiled.render(parseJson(variablesJson).asDict());
}

QString errorOf(const std::string& source, const std::string& variablesJson = "{}") {
    try {
        render(source, variablesJson);
    } catch (const common::Error& error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

}  // namespace

class TestJinja : public QObject {
    Q_OBJECT

private slots:
    void whitespaceControl() {
        // trim_blocks drops the newline after a block tag; lstrip_blocks the indent before one.
        QCOMPARE(render("{% if true %}\n    a\n    {% endif %}\nb"), std::string("    a\nb"));
        QCOMPARE(render("  {%- if true -%}  x  {%- endif %}"), std::string("x"));
        QCOMPARE(render("a {{- ' b ' -}} c"), std::string("a b c"));
        // `+` keeps what lstrip_blocks and trim_blocks would take; `{{ }}` is never stripped.
        QCOMPARE(render("  {%+ if true %}x{% endif +%}\ny"), std::string("  x\ny"));
        QCOMPARE(render("  {{ 'x' }}\n"), std::string("  x"));  // and one final newline goes
        QCOMPARE(render("a\n  {# note #}\nb"), std::string("a\nb"));
        QCOMPARE(render("a\r\nb"), std::string("a\nb"));
    }

    void pythonValues() {
        QCOMPARE(render("{{ [1, 'a', none, true, 1.5, {'k': \"it's\"}] }}"),
                 std::string("[1, 'a', None, True, 1.5, {'k': \"it's\"}]"));
        QCOMPARE(
            render("{{ (1,) }} {{ 10 / 4 }} {{ 7 // 2 }} {{ -7 % 3 }} {{ 2 ** 10 }} {{ 1e20 }}"),
            std::string("(1,) 2.5 3 2 1024 1e+20"));
        QCOMPARE(render("{{ 0.1 + 0.2 }} {{ 1 == 1.0 }} {{ true == 1 }} {{ 'a' ~ 1 ~ none }}"),
                 std::string("0.30000000000000004 True True a1None"));
        QCOMPARE(
            render("{{ 'abc'[::-1] }} {{ [1, 2, 3][1:] }} {{ 'héllo'[1] }} {{ 'héllo'|length }}"),
            std::string("cba [2, 3] é 5"));
        QCOMPARE(render("{{ x }}|{{ x is defined }}|{{ x|length }}|{{ d.missing is defined }}",
                        R"({"d": {}})"),
                 std::string("|False|0|False"));
        QCOMPARE(
            render("{{ a and b }} {{ a or b }} {{ 'y' if a else 'n' }}", R"({"a": 0, "b": 2})"),
            std::string("0 2 n"));
    }

    void stringAndDictMethods() {
        QCOMPARE(render("{{ ' a b '.strip() }}|{{ 'x</think>y'.split('</think>')[-1] }}|"
                        "{{ 'a b  c'.split() }}|{{ 'aab'.lstrip('a') }}|{{ 'Hi'.upper() }}|"
                        "{{ 'a-b'.replace('-', '+') }}|{{ 'abc'.startswith(('x', 'a')) }}|"
                        "{{ '{}-{}'.format(1, 'b') }}"),
                 std::string("a b|y|['a', 'b', 'c']|b|HI|a+b|True|1-b"));
        QCOMPARE(render("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}{{ d.get('z', 0) }}"
                        "{{ d['a'] }}{{ d.a }}",
                        R"({"d": {"a": 1, "b": 2}})"),
                 std::string("a=1;b=2;011"));
    }

    void filtersAndTests() {
        QCOMPARE(
            render("{{ xs|selectattr('r', 'equalto', 'u')|map(attribute='c')|join(',') }}",
                   R"({"xs": [{"r": "u", "c": "1"}, {"r": "a", "c": "2"}, {"r": "u", "c": "3"}]})"),
            std::string("1,3"));
        QCOMPARE(render("{{ x|tojson }}|{{ x|tojson(indent=2) }}|{{ x|tojson(sort_keys=true) }}",
                        R"({"x": {"b": "é\n", "a": [1, 2.0, null]}})"),
                 std::string("{\"b\": \"é\\n\", \"a\": [1, 2.0, null]}|{\n  \"b\": \"é\\n\",\n  "
                             "\"a\": [\n    1,\n    2.0,\n    null\n  ]\n}|{\"a\": [1, 2.0, null], "
                             "\"b\": \"é\\n\"}"));
        QCOMPARE(render("{{ ' x '|trim }}{{ [3, 1, 2]|sort|first }}{{ [3, 1, 2]|last }}"
                        "{{ none|default('d') }}{{ x|default('u') }}{{ 'ab'|upper }}"),
                 std::string("x12NoneuAB"));
        QCOMPARE(render("{{ 'a' is string }}{{ {} is mapping }}{{ 'a' is iterable }}"
                        "{{ 1 is number }}{{ none is none }}{{ false is false }}{{ 3 is odd }}"),
                 std::string("TrueTrueTrueTrueTrueTrueTrue"));
    }

    void markupEscapesWhatIsAddedToIt() {
        QCOMPARE(
            render("{{ '<a>'|safe + '\"&\\'' }}|{{ '<' + ('>'|safe) }}|{{ ('<'|safe) ~ '>' }}"),
            std::string("<a>&#34;&amp;&#39;|&lt;>|<>"));
    }

    void loopsAndScopes() {
        QCOMPARE(render("{% for i in [1, 2, 3] if i > 1 %}{{ loop.index }}{{ loop.first }}"
                        "{{ loop.last }}{{ loop.length }};{% endfor %}"),
                 std::string("1TrueFalse2;2FalseTrue2;"));
        // A set inside a loop lives for one iteration; a namespace carries values out.
        QCOMPARE(
            render("{% set x = 0 %}{% set ns = namespace(n=0) %}{% for i in [1, 2] %}"
                   "{{ x }}{% set x = i %}{% set ns.n = ns.n + i %}{% endfor %}{{ x }}{{ ns.n }}"),
            std::string("0003"));
        QCOMPARE(render("{% for i in range(5) %}{% if i == 1 %}{% continue %}{% endif %}"
                        "{% if i == 3 %}{% break %}{% endif %}{{ i }}{% endfor %}"),
                 std::string("02"));
        QCOMPARE(render("{% for i in [] %}x{% else %}empty{% endfor %}"), std::string("empty"));
        QCOMPARE(render("{% macro m(a, b='2') %}{{ a }}{{ b }}{{ c }}{% endmacro %}"
                        "{% set c = 3 %}{{ m(1) }}{{ m(1, b=4) }}"),
                 std::string("123143"));
        QCOMPARE(render("{% set t %}in {{ 'block' }}{% endset %}{{ t|upper }}"),
                 std::string("IN BLOCK"));
    }

    void errorsNameTheLine() {
        QCOMPARE(errorOf("a\n{{ x|foo }}"), QString("chat template line 2: unknown filter 'foo'"));
        QCOMPARE(
            errorOf("{% if true %}\n\n{{ raise_exception('roles must alternate') }}{% endif %}"),
            QString("chat template line 3: roles must alternate"));
        QCOMPARE(errorOf("{{ x.y }}"), QString("chat template line 1: 'x' is undefined"));
        QCOMPARE(errorOf("\n{{ 'a' + 1 }}"),
                 QString("chat template line 2: can only concatenate str (not \"int\") to str"));
        QCOMPARE(errorOf("{% if x %}"),
                 QString("chat template line 1: unexpected end of template, expected 'elif' or "
                         "'else' or 'endif'"));
        QCOMPARE(errorOf("{% frobnicate %}"),
                 QString("chat template line 1: unknown tag 'frobnicate'"));
        QCOMPARE(errorOf("{{ x is frob }}"), QString("chat template line 1: unknown test 'frob'"));
        QCOMPARE(
            errorOf("{{ [1]|map('upper')|tojson }}"),
            QString("chat template line 1: Object of type generator is not JSON serializable"));
        // An unknown filter inside an `if` fails only when it runs, as in Jinja.
        QCOMPARE(render("{% if false %}{{ x|from_json }}{% endif %}ok"), std::string("ok"));
        QCOMPARE(errorOf("{% if true %}\n{{ 'x'|from_json }}{% endif %}"),
                 QString("chat template line 2: unknown filter 'from_json'"));
        // What transformers' sandbox refuses, refused here too.
        QVERIFY(errorOf("{% set xs = [] %}{{ xs.append(1) }}").contains("is unsafe"));
        QVERIFY(errorOf("{{ namespace(_x=1) }}").contains("underscore-prefixed"));
        // What core/jinja does not model is refused by name, not approximated.
        QVERIFY(errorOf("{{ 'Ünï'|upper }}").contains("not supported"));
        QVERIFY(errorOf("{{ ('x'|safe)|trim }}").contains("not supported"));
        QVERIFY(errorOf("{{ " + std::string(300, '(') + "1" + std::string(300, ')') + " }}")
                    .contains("nests too deeply"));
    }
};

QTEST_GUILESS_MAIN(TestJinja)
#include "tst_jinja.moc"
