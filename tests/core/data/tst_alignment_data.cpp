// The alignment stages' data: the chat template and its loss mask, SFT conversations in their
// three forms and every malformed one, preference pairs (identical ones skipped and counted),
// task sets, the sample tasks, the rule-based rewards, and the stage configs' errors.
#include "core/common/config_reader.h"
#include "core/common/config_validator.h"
#include "core/data/preference_data.h"
#include "core/data/rule_rewards.h"
#include "core/data/sample_tasks.h"
#include "core/data/sft_examples.h"
#include "core/run/stage_config.h"
#include "core/tokenizer/chat_template.h"
#include "tests/error_of.h"
#include "tests/tiny_data.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <set>

using namespace strata;
using namespace strata::data;
namespace fs = std::filesystem;

class TestAlignmentData : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path m_root;

    fs::path write(const std::string& name, const std::string& text) {
        fs::path path = m_root / name;
        std::ofstream(path) << text;
        return path;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_root = m_dir.path().toStdString();
        tiny::writeData(m_root / "tiny", 20);
    }

    void chatTemplateTrainsOnAssistantTurnsOnly() {
        tokenizer::Tokenizer tokenizer =
            tokenizer::loadTokenizer(m_root / "tiny" / "tokenizer.json");
        tokenizer::ChatTemplate chat(tokenizer);
        tokenizer::ChatTokens tokens = chat.encode({{tokenizer::Role::System, "be brief"},
                                                    {tokenizer::Role::User, "the cat"},
                                                    {tokenizer::Role::Assistant, "a dog"}});
        auto id = [&](const char* token) { return *tokenizer.findAddedToken(token); };
        std::vector<tokenizer::TokenId> expected{id("<|bos|>"), id("<|system|>")};
        auto append = [&](const std::string& text) {
            for (tokenizer::TokenId t : tokenizer.encode(text))
                expected.push_back(t);
        };
        append("be brief");
        expected.insert(expected.end(), {id("<|eos|>"), id("<|user|>")});
        append("the cat");
        expected.insert(expected.end(), {id("<|eos|>"), id("<|assistant|>")});
        size_t answerStart = expected.size();
        append("a dog");
        expected.push_back(id("<|eos|>"));
        QCOMPARE(tokens.ids, expected);
        for (size_t i = 0; i < tokens.ids.size(); ++i)
            QCOMPARE(int(tokens.trained[i]), i >= answerStart ? 1 : 0);
        // The prompt for generation is everything before the answer.
        std::vector<tokenizer::TokenId> prompt = chat.encodePrompt(
            {{tokenizer::Role::System, "be brief"}, {tokenizer::Role::User, "the cat"}});
        QCOMPARE(prompt, std::vector<tokenizer::TokenId>(expected.begin(),
                                                         expected.begin() + long(answerStart)));
        // A role token typed as text stays text.
        QVERIFY(chat.encode({{tokenizer::Role::User, "<|eos|>"}}).ids.size() > 4);
    }

    void chatTemplateNeedsRoleTokens() {
        tokenizer::TrainerConfig config;
        config.vocabSize = 260;
        config.specialTokens = {"<|eos|>"};
        tokenizer::BpeTrainer trainer(config);
        std::vector<std::string_view> docs{"hello"};
        trainer.addDocuments(docs);
        tokenizer::Tokenizer bare(trainer.train());
        QVERIFY(errorOf([&] { tokenizer::ChatTemplate chat(bare); }).contains("no <|bos|> token"));
    }

    void sftExamplesInThreeForms() {
        fs::path path = write(
            "sft.jsonl",
            R"({"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}], "difficulty": 2}
{"prompt": "2 + 2?", "completion": "4"}

{"instruction": "Translate", "input": "chat", "output": "cat"}
)");
        std::vector<SftExample> examples = readSftExamples(path);
        QCOMPARE(examples.size(), size_t(3));
        QCOMPARE(*examples[0].difficulty, 2.0);
        QCOMPARE(examples[1].conversation[0].content, std::string("2 + 2?"));
        QCOMPARE(int(examples[1].conversation[1].role), int(tokenizer::Role::Assistant));
        QCOMPARE(examples[2].conversation[0].content, std::string("Translate\n\nchat"));
        QVERIFY(!examples[1].difficulty);
    }

    void malformedConversationsAreErrors_data() {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown role")
            << R"({"messages": [{"role": "bot", "content": "x"}]})"
            << R"(bad.jsonl:2: messages[0].role is "bot"; expected system, user or assistant)";
        QTest::newRow("empty assistant turn")
            << R"({"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": " "}]})"
            << "bad.jsonl:2: messages[1] is an empty assistant turn";
        QTest::newRow("no assistant") << R"({"messages": [{"role": "user", "content": "x"}]})"
                                      << "bad.jsonl:2: the conversation has no assistant turn";
        QTest::newRow("no form") << R"({"text": "x"})"
                                 << "bad.jsonl:2: expected \"messages\"";
        QTest::newRow("missing completion") << R"({"prompt": "x"})"
                                            << "bad.jsonl:2: \"completion\" must be a string";
        QTest::newRow("not json") << "{"
                                  << "bad.jsonl:2: not a JSON object";
        QTest::newRow("difficulty text")
            << R"({"prompt": "x", "completion": "y", "difficulty": "hard"})"
            << "bad.jsonl:2: \"difficulty\" must be a number";
    }
    void malformedConversationsAreErrors() {
        QFETCH(QString, line);
        QFETCH(QString, error);
        fs::path path = write("bad.jsonl", "{\"prompt\": \"a\", \"completion\": \"b\"}\n" +
                                               line.toStdString() + "\n");
        QString message = errorOf([&] { readSftExamples(path); });
        QVERIFY2(message.contains(error), qPrintable(message));
    }

    void identicalPreferencesAreSkippedAndCounted() {
        fs::path path = write("prefs.jsonl", R"({"prompt": "p", "chosen": "a", "rejected": "b"}
{"prompt": "p", "chosen": "same", "rejected": "same"}
)");
        PreferenceData data = readPreferences(path);
        QCOMPARE(data.pairs.size(), size_t(1));
        QCOMPARE(data.identicalSkipped, int64_t(1));
        fs::path empty = write("empty.jsonl", R"({"prompt": "p", "chosen": "", "rejected": "b"})");
        QVERIFY(errorOf([&] {
                    readPreferences(empty);
                }).contains("empty.jsonl:1: \"chosen\" is empty"));
    }

    void sampleTasksAreSeededDisjointAndCorrect() {
        SampleTaskSplit split = makeSampleTasks(400, 40, 3);
        QCOMPARE(split.train.size(), size_t(400));
        QCOMPARE(split.test.size(), size_t(40));
        std::set<std::string> trainPrompts;
        for (const TaskExample& task : split.train)
            trainPrompts.insert(task.prompt);
        for (const TaskExample& task : split.test)
            QVERIFY(!trainPrompts.count(task.prompt));
        QCOMPARE(makeSampleTasks(400, 40, 3).train[7].prompt, split.train[7].prompt);
        for (const TaskExample& task : split.train) {
            if (task.task == "add") {
                int a = 0, b = 0;
                QCOMPARE(std::sscanf(task.prompt.c_str(), "What is %d + %d?", &a, &b), 2);
                QCOMPARE(task.answer, std::to_string(a + b));
            } else if (task.task == "sort") {
                std::string digits = task.prompt.substr(std::string("Sort: ").size());
                digits.erase(std::remove(digits.begin(), digits.end(), ' '), digits.end());
                std::sort(digits.begin(), digits.end());
                std::string answer = task.answer;
                answer.erase(std::remove(answer.begin(), answer.end(), ' '), answer.end());
                QCOMPARE(answer, digits);
            }
        }
        fs::path path = m_root / "tasks.jsonl";
        writeTaskSet(path, split.test);
        std::vector<TaskExample> read = readTaskSet(path);
        QCOMPARE(read.size(), split.test.size());
        QCOMPARE(read[5].answer, split.test[5].answer);
    }

    void sampleTaskFilesSplitDemonstrationsPromptsAndTests() {
        SampleTaskFiles files = writeSampleTaskFiles(m_root / "sample-tasks", 30, 50, 20, 4);
        std::vector<SftExample> solved = readSftExamples(files.sft);
        std::vector<TaskExample> prompts = readTaskSet(files.tasks);
        std::vector<TaskExample> tests = readTaskSet(files.test);
        QCOMPARE(solved.size(), size_t(30));
        QCOMPARE(prompts.size(), size_t(50));
        QCOMPARE(tests.size(), size_t(20));
        // The split of makeSampleTasks: SFT's examples then the prompts, the tests apart.
        SampleTaskSplit split = makeSampleTasks(80, 20, 4);
        QCOMPARE(solved[3].conversation[0].content, split.train[3].prompt);
        QCOMPARE(solved[3].conversation[1].content, split.train[3].answer);
        QCOMPARE(prompts[0].prompt, split.train[30].prompt);
        QCOMPARE(tests[19].answer, split.test[19].answer);
        std::set<std::string> seen;
        for (const SftExample& example : solved)
            QVERIFY(seen.insert(example.conversation[0].content).second);
        for (const std::vector<TaskExample>* set : {&prompts, &tests})
            for (const TaskExample& task : *set)
                QVERIFY(seen.insert(task.prompt).second);
    }

    void ruleRewardsScoreWhatTheySay() {
        RewardContext context;
        context.blocklist = cleaning::WordBlocklist::fromWords({"darn"});
        auto score = [&](const char* name, RewardInput input) {
            for (const RuleReward& rule : ruleRewards())
                if (std::string(rule.name) == name) return rule.score(input, context);
            return -1.0;
        };
        QCOMPARE(score("correctness", {"q", " 42\n", "42", true}), 1.0);
        QCOMPARE(score("correctness", {"q", "41", "42", true}), 0.0);
        QCOMPARE(score("coherence", {"q", "x", "", false}), 0.5);
        QCOMPARE(score("coherence", {"q", "  ", "", true}), 0.0);
        QCOMPARE(score("diversity", {"q", "a a a b", "", true}), 0.5);
        QCOMPARE(score("safety", {"q", "oh Darn it", "", true}), 0.0);
        QCOMPARE(score("safety", {"q", "fine", "", true}), 1.0);
        QCOMPARE(score("similarity", {"q", " 1 3 2", "1 2 3", true}), 3.0 / 5.0);
        QCOMPARE(score("similarity", {"q", "1 2 3 4", "1 2 3", true}), 5.0 / 7.0);
        QCOMPARE(score("similarity", {"q", "", "1 2 3", true}), 0.0);
        QCOMPARE(score("similarity", {"q", "1 2 3", "", true}), 0.0);
    }

    void stageConfigErrorsNameTheirKeys() {
        common::ConfigReader reader = common::ConfigReader::fromString(
            "[grpo]\ngroup_size = 1\nloss = \"mean\"\n[rewards]\nmodel = 0.5\n", "grpo.toml");
        common::ConfigValidator validator(reader);
        run::AlignConfig config;
        run::readAlignConfig(reader, validator, run::Stage::Grpo, common::pathsRelativeTo(m_root),
                             config);
        QString message = errorOf([&] { validator.finish(); });
        QVERIFY2(message.contains("init.model"), qPrintable(message));
        QVERIFY(message.contains("'grpo.group_size' must be at least 2"));
        QVERIFY(message.contains("'grpo.loss' must be \"sequence\", \"token\" or \"dr_grpo\""));
        QVERIFY(message.contains("'rewards.model' must be 0 without init.reward_model"));
    }
};

QTEST_APPLESS_MAIN(TestAlignmentData)
#include "tst_alignment_data.moc"
