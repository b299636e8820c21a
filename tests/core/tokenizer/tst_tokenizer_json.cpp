// tokenizer.json: save/load round trip, the legacy merge form, and every kind of corrupt or
// hand-edited file giving a one-line common::Error that names the file.
#include "core/common/error.h"
#include "core/tokenizer/bpe_trainer.h"
#include "core/tokenizer/patterns.h"
#include "core/tokenizer/tokenizer_json.h"
#include "tests/core/tokenizer/test_text.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace strata;
using namespace strata::tokenizer;

namespace {

TokenizerData trainSmall() {
    std::vector<std::string> corpus = test::fixtureCorpus();
    std::vector<std::string_view> views(corpus.begin(), corpus.end());
    TrainerConfig config;
    config.vocabSize = 500;
    BpeTrainer trainer(config);
    trainer.addDocuments(views);
    return trainer.train();
}

void replaceOnce(std::string& text, std::string_view from, std::string_view to) {
    size_t at = text.find(from);
    QVERIFY2(at != std::string::npos, std::string(from).c_str());
    text.replace(at, from.size(), to);
}

}  // namespace

class TestTokenizerJson : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_data = trainSmall();
        m_json = formatTokenizerJson(m_data);
    }

    void saveLoadRoundTrip() {
        std::string path = m_dir.filePath("tokenizer.json").toStdString();
        saveTokenizerJson(m_data, path);
        TokenizerData loaded = readTokenizerJson(path);
        QCOMPARE(loaded.tokens, m_data.tokens);
        QCOMPARE(loaded.merges, m_data.merges);
        QVERIFY(loaded.preTokenizers == m_data.preTokenizers);
        QCOMPARE(loaded.addedTokens.size(), m_data.addedTokens.size());
        QVERIFY(loaded.addedTokens[0].special);
        QCOMPARE(formatTokenizerJson(loaded), m_json);
        Tokenizer original(m_data);
        Tokenizer reloaded = loadTokenizer(path);
        std::mt19937 rng(1);
        for (int i = 0; i < 50; ++i) {
            std::string text = test::randomText(rng, 40) + "<|eos|>";
            QCOMPARE(reloaded.encode(text, SpecialPolicy::all()),
                     original.encode(text, SpecialPolicy::all()));
        }
        // No temporary file is left beside it.
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files).size(), 1);
    }

    void writesTheNewLayout() {
        QVERIFY(m_json.find("\"type\": \"Sequence\"") != std::string::npos);
        QVERIFY(m_json.find("\"behavior\": \"Isolated\"") != std::string::npos);
        QVERIFY(m_json.find("\"merges\": [\n      [\"") != std::string::npos);
    }

    void readsLegacyMergesAndByteLevel() {
        // Rewrite merges as "a b" strings and the pre-tokenizer as plain ByteLevel (GPT-2).
        std::string json = m_json;
        size_t begin = json.find("\"merges\": [");
        std::string merges = json.substr(begin);
        std::string legacy;
        for (size_t i = 0; i < merges.size(); ++i) {
            if (merges.compare(i, 2, "[\"") == 0 && i > 0 && merges[i - 1] == ' ' &&
                merges.compare(i - 1, 2, " [") == 0) {
                size_t close = merges.find("\"]", i);
                std::string inner = merges.substr(i + 1, close + 1 - (i + 1));  // "a", "b"
                replaceOnce(inner, "\", \"", " ");
                legacy += inner;
                i = close + 1;
            } else {
                legacy.push_back(merges[i]);
            }
        }
        json = json.substr(0, begin) + legacy;
        size_t preBegin = json.find("\"pre_tokenizer\"");
        size_t preEnd = json.find("\"post_processor\"");
        json.replace(preBegin, preEnd - preBegin,
                     "\"pre_tokenizer\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false, "
                     "\"trim_offsets\": true, \"use_regex\": true},\n  ");
        TokenizerData data = parseTokenizerJson(json, "legacy.json");
        QCOMPARE(data.merges, m_data.merges);
        QVERIFY((data.preTokenizers == std::vector<PreTokenizerStep>{ByteLevelStep{false, true}}));
    }

    void corruptFiles_data() {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("problem");
        auto row = [](const char* name, const char* from, const char* to, const char* problem) {
            QTest::newRow(name) << QString::fromUtf8(from) << QString::fromUtf8(to)
                                << QString::fromUtf8(problem);
        };
        row("bad json", "\"version\": \"1.0\",", "\"version\": \"1.0\"", "not valid JSON");
        row("not an object", "{\n  \"version\"", "[\n  \"version\"", "not valid JSON");
        row("missing model", "\"model\": {", "\"modelx\": {", "no \"model\" section");
        row("unknown model type", "\"type\": \"BPE\"", "\"type\": \"WordPiece\"", "WordPiece");
        row("merge names unknown token", "\"merges\": [\n      [\"",
            "\"merges\": [\n      [\"zzz\", \"q\"], [\"", "not in the vocab");
        row("duplicate id", "\"\\\"\": 1,", "\"\\\"\": 0,", "used twice");
        row("id gap", "\"\\\"\": 1,", "\"\\\"\": 100000,",
            "id 100000 is too large: ids must run from 0 to");
        // Checked before the table of ids is allocated.
        row("largest vocab id", "\"\\\"\": 1,", "\"\\\"\": 2147483647,",
            "id 2147483647 is too large");
        row("large added token id",
            "[\n    {\"id\": ", "[\n    {\"id\": 134217728, \"x\": ", "id 134217728 is too large");
        row("non-string merge", "\"merges\": [\n      [\"", "\"merges\": [\n      [1, 2], [\"",
            "neither");
        row("non-integer id", "\"\\\"\": 1,", "\"\\\"\": \"one\",", "valid id");
        row("non-string content", "\"content\": \"<|bos|>\"", "\"content\": 7", "content");
        row("unsupported normalizer", "\"normalizer\": null",
            "\"normalizer\": {\"type\": \"Lowercase\"}",
            "normalizer.type 'Lowercase' is not supported");
        row("unsupported normalizer in a sequence", "\"normalizer\": null",
            "\"normalizer\": {\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"NFC\"}, "
            "{\"type\": \"Lowercase\"}]}",
            "normalizer.normalizers[1].type 'Lowercase' is not supported");
        row("regex replace normalizer", "\"normalizer\": null",
            "\"normalizer\": {\"type\": \"Replace\", \"pattern\": {\"Regex\": \" +\"}, "
            "\"content\": \" \"}",
            "normalizer.pattern.Regex is not supported");
        row("unsupported pre-tokenizer step", "\"invert\": false},",
            "\"invert\": false},\n    {\"type\": \"Whitespace\"},",
            "pre_tokenizer.pretokenizers[1].type 'Whitespace' is not supported");
        row("unknown split behavior", "\"behavior\": \"Isolated\"", "\"behavior\": \"Sideways\"",
            "pre_tokenizer.pretokenizers[0].behavior 'Sideways' is not supported");
        row("byte level not last", "\"invert\": false},",
            "\"invert\": false},\n    {\"type\": \"ByteLevel\"},",
            "ByteLevel step before other steps is not supported");
        row("byte level with metaspace", "\"invert\": false},",
            "\"invert\": false},\n    {\"type\": \"Metaspace\", \"replacement\": \"_\"},",
            "ByteLevel and Metaspace together are not supported");
        row("bad prepend scheme", "\"invert\": false},",
            "\"invert\": false},\n    {\"type\": \"Metaspace\", \"replacement\": \"_\", "
            "\"prepend_scheme\": \"sometimes\"},",
            "pre_tokenizer.pretokenizers[1].prepend_scheme 'sometimes' is not always, first or "
            "never");
        row("unsupported post-processor", "\"post_processor\": null",
            "\"post_processor\": {\"type\": \"BertProcessing\"}",
            "post_processor.type 'BertProcessing' is not supported");
        row("template names an unknown token", "\"post_processor\": null",
            "\"post_processor\": {\"type\": \"TemplateProcessing\", \"single\": "
            "[{\"SpecialToken\": {\"id\": \"<x>\", \"type_id\": 0}}], \"pair\": [], "
            "\"special_tokens\": {}}",
            "post_processor.single names '<x>', which special_tokens lacks");
        row("template id out of range", "\"post_processor\": null",
            "\"post_processor\": {\"type\": \"TemplateProcessing\", \"single\": "
            "[{\"SpecialToken\": {\"id\": \"<x>\", \"type_id\": 0}}], \"pair\": [], "
            "\"special_tokens\": {\"<x>\": {\"id\": \"<x>\", \"ids\": [99999], \"tokens\": "
            "[\"<x>\"]}}}",
            "post_processor.special_tokens.<x> has id 99999, outside the vocabulary");
        row("unsupported decoder in a sequence", "\"decoder\": {\"type\": \"ByteLevel\"",
            "\"decoder\": {\"type\": \"Sequence\", \"decoders\": [{\"type\": \"Fuse\"}, "
            "{\"type\": \"WordPiece\"}]}, \"x\": {\"type\": \"ByteLevel\"",
            "decoder.decoders[1].type 'WordPiece' is not supported");
        row("continuing subword prefix", "\"continuing_subword_prefix\": null",
            "\"continuing_subword_prefix\": \"##\"",
            "BPE continuing_subword_prefix is not supported");
        row("end of word suffix", "\"end_of_word_suffix\": null",
            "\"end_of_word_suffix\": \"</w>\"", "BPE end_of_word_suffix is not supported");
        row("dropout", "\"dropout\": null", "\"dropout\": 0.1", "BPE dropout is not supported");
        row("unknown unk token", "\"unk_token\": null", "\"unk_token\": \"<nope>\"",
            "unk_token '<nope>' is not in the vocabulary");
        row("unsupported pre-tokenizer", "\"type\": \"Sequence\"", "\"type\": \"Whitespace\"",
            "Whitespace");
        row("bad regex", "\"pattern\": {\"Regex\": \"", "\"pattern\": {\"Regex\": \"(", "regex");
        row("unsupported decoder", "\"decoder\": {\"type\": \"ByteLevel\"",
            "\"decoder\": {\"type\": \"WordPiece\"", "decoder");
        row("vocab not byte level", "\"\\\"\": 1,", "\"\\\" \": 1,", "not a byte-level token");
        row("truncated", "\"merges\": [", "", "not valid JSON");
    }
    void corruptFiles() {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, problem);
        std::string json = m_json;
        if (to.isEmpty() && problem == "not valid JSON" && from == "\"merges\": [") {
            json.resize(json.find(from.toStdString()) + 5);
        } else {
            replaceOnce(json, from.toStdString(), to.toStdString());
        }
        std::string path = m_dir.filePath("corrupt.json").toStdString();
        {
            std::ofstream out(path, std::ios::binary);
            out << json;
        }
        try {
            loadTokenizer(path);
            QFAIL("a corrupt tokenizer.json loaded");
        } catch (const common::Error& error) {
            std::string message = error.what();
            QVERIFY2(message.rfind(path + ": ", 0) == 0, message.c_str());
            QVERIFY2(message.find(problem.toStdString()) != std::string::npos, message.c_str());
            QVERIFY2(message.find('\n') == std::string::npos, message.c_str());
        }
    }

    void missingFile() {
        QVERIFY_THROWS_EXCEPTION(common::Error,
                                 loadTokenizer(m_dir.filePath("absent.json").toStdString()));
    }

private:
    QTemporaryDir m_dir;
    TokenizerData m_data;
    std::string m_json;
};

QTEST_APPLESS_MAIN(TestTokenizerJson)
#include "tst_tokenizer_json.moc"
