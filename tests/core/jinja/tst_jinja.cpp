// core/jinja on its own: Jinja's whitespace rules, Python's semantics for the values, the filters,
// tests and methods chat templates use, and errors that name the template line. The real chat
// templates are compared with transformers in tests/core/tokenizer/tst_chat_templates.
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
    void smoke() { QCOMPARE(render("{{ 'a' ~ 1 }}"), std::string("a1")); }
};

QTEST_GUILESS_MAIN(TestJinja)
#include "tst_jinja.moc"
