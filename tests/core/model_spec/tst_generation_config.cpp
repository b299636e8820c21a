// generation_config.json as transformers reads it: do_sample false is greedy, absent keys take
// transformers' defaults, eos ids (one or a list) stop generation, settings Strata's sampler lacks
// are named, and bad values are one-line errors naming the key.
#include "core/common/error.h"
#include "core/model_spec/generation_config.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace strata::model_spec;

namespace {

SamplingOptions base() {
    SamplingOptions options = defaultSamplingOptions();
    options.stopTokens = {7};
    return options;
}

GenerationDefaults parse(const std::string& text) {
    return parseGenerationConfig(text, "generation_config.json", base());
}

}  // namespace

class TestGenerationConfig : public QObject {
    Q_OBJECT
private slots:
    void sampledModelTakesItsSettings() {
        // Qwen2.5-Instruct's file.
        GenerationDefaults d = parse(
            R"({"bos_token_id": 151643, "pad_token_id": 151643, "do_sample": true,
                "eos_token_id": [151645, 151643], "repetition_penalty": 1.05, "temperature": 0.7,
                "top_p": 0.8, "top_k": 20, "transformers_version": "4.37.0"})");
        QCOMPARE(d.options.temperature, 0.7);
        QCOMPARE(d.options.topK, 20);
        QCOMPARE(d.options.topP, 0.8);
        QCOMPARE(d.options.repetitionPenalty, 1.05);
        QCOMPARE(d.options.maxNewTokens, base().maxNewTokens);
        QCOMPARE(d.options.stopTokens, (std::vector<int64_t>{7, 151645, 151643}));
        QVERIFY(d.unfollowed.empty());
    }

    void withoutDoSampleItIsGreedyWithTransformersDefaults() {
        // SmolLM2's and Mistral's files say nothing of sampling: transformers decodes greedily.
        GenerationDefaults d = parse(
            R"({"_from_model_config": true, "bos_token_id": 1, "eos_token_id": 2,
                "transformers_version": "4.42.3"})");
        QCOMPARE(d.options.temperature, 0.0);
        QCOMPARE(d.options.topK, 50);
        QCOMPARE(d.options.topP, 1.0);
        QCOMPARE(d.options.repetitionPenalty, 1.0);
        QCOMPARE(d.options.stopTokens, (std::vector<int64_t>{7, 2}));
        // A temperature without do_sample is not used by transformers either.
        QCOMPARE(parse(R"({"temperature": 0.6, "top_p": 0.9})").options.temperature, 0.0);
        QCOMPARE(parse(R"({"do_sample": true, "max_new_tokens": 300})").options.maxNewTokens, 300);
    }

    void settingsStrataDoesNotSampleWithAreNamed() {
        GenerationDefaults d = parse(
            R"({"num_beams": 4, "min_p": 0.05, "typical_p": 1.0, "no_repeat_ngram_size": 0})");
        QCOMPARE(d.unfollowed, (std::vector<std::string>{"num_beams", "min_p"}));
        QVERIFY(parse(R"({"num_beams": 1, "min_p": null})").unfollowed.empty());
    }

    void badValuesNameTheKey() {
        auto error = [](const std::string& text) -> std::string {
            try {
                parse(text);
            } catch (const strata::common::Error& e) {
                return e.what();
            }
            return "no error";
        };
        QCOMPARE(error(R"({"do_sample": "yes"})"),
                 std::string("generation_config.json: key 'do_sample' must be true or false"));
        QCOMPARE(error(R"({"eos_token_id": [2, -1]})"),
                 std::string(
                     "generation_config.json: key 'eos_token_id' must be a non-negative integer"));
        QCOMPARE(error(R"({"top_k": 1.5})"),
                 std::string("generation_config.json: key 'top_k' must be a non-negative integer"));
        QCOMPARE(error(R"({"do_sample": true, "top_p": 0})"),
                 std::string("generation_config.json: top_p must be in (0, 1], not 0"));
        QVERIFY(
            error("{\"do_sample\": true,").starts_with("generation_config.json: not valid JSON ("));
        QCOMPARE(error("[1]"), std::string("generation_config.json: not a JSON object"));
    }

    void folderWithoutTheFileHasNoDefaults() {
        QTemporaryDir dir;
        QVERIFY(!readGenerationConfig(dir.path().toStdString(), base()));
        std::ofstream(dir.filePath("generation_config.json").toStdString())
            << R"({"do_sample": true, "temperature": 0.6, "eos_token_id": 3})";
        std::optional<GenerationDefaults> d =
            readGenerationConfig(dir.path().toStdString(), base());
        QVERIFY(d);
        QCOMPARE(d->options.temperature, 0.6);
        QCOMPARE(d->options.stopTokens, (std::vector<int64_t>{7, 3}));
    }
};

QTEST_APPLESS_MAIN(TestGenerationConfig)
#include "tst_generation_config.moc"
