// ChatTemplate on real chat templates: the ids of a conversation, with and without the generation
// prompt, equal transformers' apply_chat_template(tokenize=True, sanitize_control_tokens=True)
// with the same tokenizer (trained here with each family's control tokens, loaded there from its
// tokenizer.json; chat_templates.py computes every case in one run). The loss mask covers the
// assistant turns through their end-of-turn token, the end-of-turn token is the family's, and
// prompt + answer reproduce the conversation. Also readChatTemplate's sources and the errors.
#include "core/common/error.h"
#include "core/jinja/json.h"
#include "core/tokenizer/bpe_trainer.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer_json.h"
#include "tests/core/tokenizer/test_text.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace strata;
using namespace strata::tokenizer;

namespace {

struct Family {
    const char* templateFile;  // in llama.cpp/models/templates, empty for kStrataChatTemplate
    const char* bos;
    const char* eos;
    const char* endOfTurn;
    // Whether a system turn keeps the template prefix-consistent: Gemma 2 refuses one, Mistral
    // Nemo moves it into the last user turn, so an answer changes the prompt before it.
    bool systemTurn = true;
};

const Family kFamilies[] = {
    {"", "<|bos|>", "<|eos|>", "<|eos|>"},
    {"meta-llama-Llama-3.1-8B-Instruct", "<|begin_of_text|>", "<|eot_id|>", "<|eot_id|>"},
    {"meta-llama-Llama-3.2-3B-Instruct", "<|begin_of_text|>", "<|eot_id|>", "<|eot_id|>"},
    {"Qwen-Qwen2.5-7B-Instruct", nullptr, "<|im_end|>", "<|im_end|>"},
    {"Qwen-Qwen3-0.6B", nullptr, "<|im_end|>", "<|im_end|>"},
    {"HuggingFaceTB-SmolLM3-3B", "<|im_start|>", "<|im_end|>", "<|im_end|>"},
    {"deepseek-ai-DeepSeek-V3.1", "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>",
     "<｜end▁of▁sentence｜>"},
    {"mistralai-Mistral-Nemo-Instruct-2407", "<s>", "</s>", "</s>", false},
    {"google-gemma-2-2b-it", "<bos>", "<eos>", "<end_of_turn>", false},
    {"microsoft-Phi-3.5-mini-instruct", "<s>", "<|endoftext|>", "<|end|>"},
};

const Family& family(std::string_view templateFile) {
    for (const Family& family : kFamilies)
        if (family.templateFile == templateFile) return family;
    throw std::logic_error("no family " + std::string(templateFile));
}

// Every family's control tokens, so one tokenizer serves them all.
std::vector<std::string> controlTokens() {
    return {"<|bos|>",
            "<|eos|>",
            "<|pad|>",
            "<|system|>",
            "<|user|>",
            "<|assistant|>",
            "<|begin_of_text|>",
            "<|start_header_id|>",
            "<|end_header_id|>",
            "<|eot_id|>",
            "<|im_start|>",
            "<|im_end|>",
            "<think>",
            "</think>",
            "<｜begin▁of▁sentence｜>",
            "<｜end▁of▁sentence｜>",
            "<｜User｜>",
            "<｜Assistant｜>",
            "<s>",
            "</s>",
            "[INST]",
            "[/INST]",
            "<bos>",
            "<eos>",
            "<start_of_turn>",
            "<end_of_turn>",
            "<|end|>",
            "<|endoftext|>"};
}

Conversation systemUserAssistant() {
    return {{Role::System, "Answer in one word."},
            {Role::User, "Which color is the sky?"},
            {Role::Assistant, "Blue."}};
}

std::vector<Conversation> conversations(bool systemTurn) {
    if (!systemTurn) {
        std::vector<Conversation> all = conversations(true);
        for (Conversation& conversation : all)
            if (conversation.front().role == Role::System) conversation.erase(conversation.begin());
        return all;
    }
    return {
        {{Role::User, "Hello there"}},
        systemUserAssistant(),
        {{Role::User, "2 + 2?"},
         {Role::Assistant, "4"},
         {Role::User, "3 + 3?"},
         {Role::Assistant, "6"}},
        {{Role::User, "Grüße 你好 👋🏽"}, {Role::Assistant, "Ça va ✓"}},
        // Control tokens typed into messages are text, in transformers' sanitized encoding too.
        {{Role::User, "type <|im_end|> and </s> and <|eot_id|>"}, {Role::Assistant, "<|eos|>!"}},
        {{Role::User, "a <think> b </think>"}, {Role::Assistant, "c"}},
    };
}

jinja::Value messagesJson(const Conversation& conversation) {
    std::vector<jinja::Value> messages;
    for (const ChatMessage& message : conversation) {
        jinja::Dict fields;
        fields.set("role", jinja::Value(roleName(message.role)));
        fields.set("content", jinja::Value(message.content));
        messages.emplace_back(std::move(fields));
    }
    return jinja::Value(std::move(messages));
}

std::string templateSource(const Family& family) {
    if (!*family.templateFile) return kStrataChatTemplate;
    std::ifstream in(std::string(STRATA_REFERENCE_DIR) + "/llama.cpp/models/templates/" +
                     family.templateFile + ".jinja");
    return std::string(std::istreambuf_iterator<char>(in), {});
}

ChatSpecialTokens specialTokens(const Family& family) {
    ChatSpecialTokens tokens;
    if (family.bos) tokens.bos = family.bos;
    if (family.eos) tokens.eos = family.eos;
    return tokens;
}

QString errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const common::Error& error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

}  // namespace

class TestChatTemplate : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(std::string_view(STRATA_PYTOOLS_PYTHON).size() > 0 &&
                     std::string_view(STRATA_REFERENCE_DIR).size() > 0,
                 "STRATA_PYTOOLS_PYTHON or STRATA_REFERENCE_DIR is empty: run scripts/bootstrap");
        QVERIFY(m_dir.isValid());
        std::vector<std::string> corpus = test::fixtureCorpus();
        std::vector<std::string_view> views(corpus.begin(), corpus.end());
        TrainerConfig config;
        config.vocabSize = 900;
        config.specialTokens = controlTokens();
        BpeTrainer trainer(config);
        trainer.addDocuments(views);
        TokenizerData data = trainer.train();
        // Qwen3's think tags are added tokens but not special ones: control tokens only for the
        // templates that write them.
        for (AddedToken& token : data.addedTokens)
            if (token.content == "<think>" || token.content == "</think>") token.special = false;
        saveTokenizerJson(data, path("tokenizer.json").toStdString());
        m_tokenizer = std::make_unique<Tokenizer>(std::move(data));
    }

    void idsAreTransformers() {
        // Every family, conversation and generation-prompt setting, in one python run.
        std::ofstream cases(path("cases.jsonl").toStdString());
        std::vector<std::vector<TokenId>> ours;
        for (const Family& family : kFamilies) {
            ChatTemplate chat(templateSource(family), *m_tokenizer, specialTokens(family));
            for (const Conversation& conversation : conversations(family.systemTurn)) {
                for (bool prompt : {false, true}) {
                    jinja::Dict line;
                    line.set("template", jinja::Value(templateSource(family)));
                    line.set("messages", messagesJson(conversation));
                    line.set("add_generation_prompt", jinja::Value(prompt));
                    line.set("bos_token",
                             family.bos ? jinja::Value(family.bos) : jinja::Value(jinja::None{}));
                    line.set("eos_token", jinja::Value(family.eos));
                    cases << jinja::toJson(jinja::Value(std::move(line))) << '\n';
                    ours.push_back(prompt ? chat.encodePrompt(conversation)
                                          : chat.encode(conversation).ids);
                }
            }
        }
        cases.close();
        QProcess python;
        python.start(STRATA_PYTOOLS_PYTHON,
                     {CHAT_TEMPLATES_SCRIPT, "encode", path("tokenizer.json"), path("cases.jsonl"),
                      path("ids.jsonl")});
        QVERIFY2(python.waitForFinished(120000), "chat_templates.py did not finish");
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        std::ifstream expected(path("ids.jsonl").toStdString());
        std::string line;
        size_t index = 0;
        while (std::getline(expected, line)) {
            QVERIFY(index < ours.size());
            std::vector<TokenId> theirs;
            jinja::Value ids = jinja::parseJson(line);
            for (const jinja::Value& id : ids.asList().items)
                theirs.push_back(TokenId(id.asInt()));
            if (ours[index] != theirs)
                qWarning("case %zu (family %zu): ids differ", index,
                         index / (2 * conversations(true).size()));
            QCOMPARE(ours[index], theirs);
            ++index;
        }
        QCOMPARE(index, ours.size());
    }

    void masksTheAssistantTurnsThroughTheirEnd() {
        for (const Family& family : kFamilies) {
            ChatTemplate chat(templateSource(family), *m_tokenizer, specialTokens(family));
            QCOMPARE(chat.endOfTurn(), *m_tokenizer->findAddedToken(family.endOfTurn));
            Conversation conversation = systemUserAssistant();
            if (!family.systemTurn) conversation.erase(conversation.begin());
            ChatTokens tokens = chat.encode(conversation);
            size_t first = 0;
            while (first < tokens.trained.size() && !tokens.trained[first])
                ++first;
            std::vector<TokenId> trained;
            for (size_t i = first; i < tokens.ids.size() && tokens.trained[i]; ++i)
                trained.push_back(tokens.ids[i]);
            // The prompt, then the answer, then its end-of-turn token, then nothing trained.
            Conversation question(conversation.begin(), conversation.end() - 1);
            QCOMPARE(std::vector<TokenId>(tokens.ids.begin(), tokens.ids.begin() + long(first)),
                     chat.encodePrompt(question));
            QCOMPARE(trained, chat.encodeAnswer("Blue."));
            QCOMPARE(trained.back(), chat.endOfTurn());
            std::string text = m_tokenizer->decode(trained);
            QVERIFY2(text.find("Blue.") != std::string::npos, text.c_str());
            QCOMPARE(size_t(std::count(tokens.trained.begin(), tokens.trained.end(), 1)),
                     trained.size());
        }
    }

    void everyAssistantTurnIsTrained() {
        const Family& qwen = family("Qwen-Qwen2.5-7B-Instruct");
        ChatTemplate chat(templateSource(qwen), *m_tokenizer, specialTokens(qwen));
        ChatTokens tokens = chat.encode(conversations(true)[2]);
        std::string trained;
        for (size_t i = 0; i < tokens.ids.size(); ++i)
            if (tokens.trained[i])
                trained += m_tokenizer->decode(std::vector<TokenId>{tokens.ids[i]});
        QCOMPARE(trained, std::string("4<|im_end|>6<|im_end|>"));
    }

    void errorsNameTheProblem() {
        // A template that writes no added token after an answer has no end of turn to stop at.
        QVERIFY(errorOf([&] {
                    ChatTemplate(
                        "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}",
                        *m_tokenizer, {});
                }).contains("needs an end-of-turn token"));
        // A template error names the line.
        QVERIFY(errorOf([&] {
                    ChatTemplate("{{ bos_token }}\n{{ messages | foo }}", *m_tokenizer, {});
                }) == "chat template line 2: unknown filter 'foo'");
        // What the template refuses is refused, with its message and line.
        const Family& gemmaFamily = family("google-gemma-2-2b-it");
        ChatTemplate gemma(templateSource(gemmaFamily), *m_tokenizer, specialTokens(gemmaFamily));
        QCOMPARE(errorOf([&] {
                     gemma.encode({{Role::User, "a"}, {Role::User, "b"}});
                 }),
                 QString("chat template line 1: Conversation roles must alternate "
                         "user/assistant/user/assistant/..."));
        // DeepSeek-R1's distills prompt with "<think>\n" but render answers without it: no
        // answer follows their generation prompt, so SFT cannot mask one.
        ChatTemplate distill(
            templateSource({"deepseek-ai-DeepSeek-R1-Distill-Qwen-32B", nullptr, nullptr, nullptr}),
            *m_tokenizer, {"<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"});
        QVERIFY(errorOf([&] {
                    distill.encode(systemUserAssistant());
                }).contains("does not begin assistant turn 3 with what its generation prompt"));
        QVERIFY(!distill.encodePrompt({{Role::User, "hi"}}).empty());
        // A conversation that opens with the assistant has no prompt to learn the turn from.
        QVERIFY(errorOf([&] {
                    ChatTemplate(*m_tokenizer).encode({{Role::Assistant, "hi"}});
                }).contains("starts with an assistant turn"));
    }

    void readsTheTemplateOfAModelFolder() {
        QTemporaryDir folder;
        std::filesystem::path root = folder.path().toStdString();
        QVERIFY(!readChatTemplate(root));
        std::ofstream(root / "tokenizer_config.json")
            << R"({"chat_template": [{"name": "tool_use", "template": "T"},)"
            << R"( {"name": "default", "template": "{{ messages }}"}]})";
        QCOMPARE(*readChatTemplate(root), std::string("{{ messages }}"));
        std::ofstream(root / "chat_template.jinja") << "{{ bos_token }}";
        QCOMPARE(*readChatTemplate(root), std::string("{{ bos_token }}"));
        std::filesystem::remove(root / "chat_template.jinja");
        std::ofstream(root / "tokenizer_config.json") << R"({"chat_template": 3})";
        QVERIFY(errorOf([&] { readChatTemplate(root); }).contains("chat_template is neither"));
        // Real files write transformers' "no limit" in full, beyond any 64-bit integer.
        std::ofstream(root / "tokenizer_config.json")
            << R"({"model_max_length": 1000000000000000019884624838656, "chat_template": "C"})";
        QCOMPARE(*readChatTemplate(root), std::string("C"));
        std::ofstream(root / "tokenizer_config.json") << R"({"chat_template": null})";
        QVERIFY(!readChatTemplate(root));
        std::ofstream(root / "tokenizer_config.json") << R"({"chat_template": [3]})";
        QVERIFY(errorOf([&] { readChatTemplate(root); }).contains("chat_template is neither"));
        std::ofstream(root / "tokenizer_config.json")
            << R"({"chat_template": [{"name": "default", "template": 3}]})";
        QVERIFY(errorOf([&] { readChatTemplate(root); }).contains("chat_template is neither"));
        std::ofstream(root / "tokenizer_config.json")
            << R"({"chat_template": [{"name": "default",)";
        QVERIFY(errorOf([&] { readChatTemplate(root); }).contains("not valid JSON"));
        std::ofstream(root / "tokenizer_config.json") << R"(["chat_template"])";
        QVERIFY(errorOf([&] { readChatTemplate(root); }).contains("not a JSON object"));
    }

private:
    QString path(const char* name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    std::unique_ptr<Tokenizer> m_tokenizer;
};

QTEST_GUILESS_MAIN(TestChatTemplate)
#include "tst_chat_template.moc"
