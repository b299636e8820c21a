// The real chat templates of the families Strata imports, rendered by core/jinja exactly as
// transformers' apply_chat_template renders them: every template of the reference folder
// (llama.cpp's models/templates, SmolLM2's GGUF) over conversations with and without a system
// turn, multi-turn, unicode, empty and padded contents, thinking, tools and broken role orders,
// with and without the generation prompt. chat_templates.py renders them all in one run of the
// pinned pytools python; a conversation transformers refuses must be refused here too, with
// raise_exception's message. Outside the required families, a template may use what core/jinja
// refuses by name ("... is not supported"); those cases are listed, never rendered differently.
// The test fails, not skips, without the python or the templates.
#include "core/common/error.h"
#include "core/jinja/json.h"
#include "core/jinja/template.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <map>
#include <set>

using namespace strata;

namespace {

// Templates that must render every conversation as transformers does.
const std::set<std::string> kRequired = {
    "meta-llama-Llama-3.1-8B-Instruct",
    "meta-llama-Llama-3.2-3B-Instruct",
    "meta-llama-Llama-3.3-70B-Instruct",
    "Qwen-Qwen2.5-7B-Instruct",
    "Qwen-Qwen3-0.6B",
    "Qwen-QwQ-32B",
    "deepseek-ai-DeepSeek-V3.1",
    "deepseek-ai-DeepSeek-R1-Distill-Llama-8B",
    "deepseek-ai-DeepSeek-R1-Distill-Qwen-32B",
    "mistralai-Mistral-Nemo-Instruct-2407",
    "Mistral-Small-3.2-24B-Instruct-2506",
    "HuggingFaceTB-SmolLM3-3B",
    "microsoft-Phi-3.5-mini-instruct",
    "google-gemma-2-2b-it",
    "SmolLM2-135M-Instruct",
};

// Where `rendered` first departs from `expected`, with a little context.
std::string firstDifference(const std::string& rendered, const std::string& expected) {
    size_t at = 0;
    while (at < rendered.size() && at < expected.size() && rendered[at] == expected[at])
        ++at;
    size_t from = at > 40 ? at - 40 : 0;
    return "at byte " + std::to_string(at) + " renders " +
           jinja::Value(rendered.substr(from, 80)).repr() + ", transformers " +
           jinja::Value(expected.substr(from, 80)).repr();
}

// The template's variables as apply_chat_template passes them.
jinja::Dict variablesOf(const jinja::Dict& record) {
    jinja::Dict variables;
    variables.set("messages", *record.find("messages"));
    variables.set("tools", *record.find("tools"));
    variables.set("documents", jinja::Value(jinja::None{}));
    variables.set("add_generation_prompt", *record.find("add_generation_prompt"));
    for (const auto& [key, value] : record.find("special_tokens")->asDict().entries)
        variables.set(key, value);
    for (const auto& [key, value] : record.find("extra")->asDict().entries)
        variables.set(key, value);
    return variables;
}

}  // namespace

class TestChatTemplates : public QObject {
    Q_OBJECT

private slots:
    void rendersAsTransformers() {
        QVERIFY2(std::string_view(STRATA_PYTOOLS_PYTHON).size() > 0 &&
                     std::string_view(STRATA_REFERENCE_DIR).size() > 0,
                 "STRATA_PYTOOLS_PYTHON or STRATA_REFERENCE_DIR is empty: run scripts/bootstrap");
        QTemporaryDir dir;
        QString expectedPath = dir.filePath("expected.jsonl");
        QProcess python;
        python.start(STRATA_PYTOOLS_PYTHON,
                     {CHAT_TEMPLATES_SCRIPT, "render", STRATA_REFERENCE_DIR, expectedPath});
        QVERIFY2(python.waitForFinished(120000), "chat_templates.py did not finish");
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());

        std::ifstream in(expectedPath.toStdString());
        std::map<std::string, std::vector<std::string>> failures;  // by template
        // What Strata refuses by name (a feature it does not model) where transformers renders;
        // allowed outside the required templates, and listed.
        std::map<std::string, std::vector<std::string>> refusals;
        std::set<std::string> templates;
        std::string line;
        int cases = 0;
        while (std::getline(in, line)) {
            jinja::Value record = jinja::parseJson(line);
            const jinja::Dict& fields = record.asDict();
            std::string name = fields.find("template")->asString();
            std::string label = fields.find("case")->asString() +
                                (fields.find("add_generation_prompt")->truthy() ? "+prompt" : "");
            templates.insert(name);
            ++cases;
            std::string problem;
            try {
                jinja::Template chat(fields.find("source")->asString(), "chat template");
                std::string rendered = chat.render(variablesOf(fields));
                if (const jinja::Value* error = fields.find("error"))
                    problem = "transformers failed (" + error->asString() + "), Strata rendered";
                else if (rendered != fields.find("expected")->asString())
                    problem = firstDifference(rendered, fields.find("expected")->asString());
            } catch (const common::Error& error) {
                const jinja::Value* expected = fields.find("error");
                bool refused = std::string(error.what()).find("not supported") != std::string::npos;
                if (!expected && refused && !kRequired.count(name))
                    refusals[name].push_back(label + ": " + error.what());
                else if (!expected)
                    problem = std::string("Strata failed: ") + error.what();
                else if (fields.find("raised")->truthy() &&
                         std::string(error.what()).find(expected->asString()) == std::string::npos)
                    problem = std::string("raises '") + error.what() + "', transformers '" +
                              expected->asString() + "'";
            }
            if (!problem.empty()) failures[name].push_back(label + ": " + problem);
        }
        QVERIFY(cases > 500);
        for (const std::string& required : kRequired)
            QVERIFY2(templates.count(required), ("no template " + required).c_str());
        for (const auto& [name, refused] : refusals)
            qInfo("%s: %zu cases refused; first: %s", name.c_str(), refused.size(),
                  refused.front().c_str());
        for (const auto& [name, problems] : failures) {
            qWarning("%s: %zu of its cases differ; first: %s", name.c_str(), problems.size(),
                     problems.front().c_str());
        }
        qInfo("%zu templates, %d cases, %zu templates differ", templates.size(), cases,
              failures.size());
        QVERIFY(failures.empty());
    }
};

QTEST_GUILESS_MAIN(TestChatTemplates)
#include "tst_chat_templates.moc"
