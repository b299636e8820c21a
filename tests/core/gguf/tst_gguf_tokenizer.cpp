// Tokenizers read from GGUF metadata (gguf_tokenizer.h) against llama.cpp itself: for the
// vocabularies llama.cpp ships with its test strings and the ids it gives them
// (ggml-vocab-NAME.gguf, .inp, .out), the tokenizer.json Strata writes gives the same ids for every
// string, with the special tokens and add_bos_token in tokenizer_config.json. A SentencePiece or
// WordPiece vocabulary and an unknown pre-tokenizer are one-line errors naming the key. Skipped,
// saying why, without the reference files of scripts/bootstrap.
#include "core/gguf/gguf_tokenizer.h"
#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/tokenizer_json.h"
#include "tests/core/gguf/gguf_bytes.h"
#include "tests/core/tokenizer/llama_cpp_strings.h"
#include "tests/error_of.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace strata;
namespace fs = std::filesystem;

namespace {

const fs::path kModels = fs::path(STRATA_REFERENCE_DIR) / "llama.cpp" / "models";

fs::path vocabulary(const QString& name) {
    return kModels / ("ggml-vocab-" + name.toStdString() + ".gguf");
}

void writeFile(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

QJsonObject parseObject(const std::string& text) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
}

}  // namespace

class TestGgufTokenizer : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase() {
        if (std::string_view(STRATA_REFERENCE_DIR).empty() || !fs::exists(vocabulary("qwen2")))
            QSKIP("STRATA_REFERENCE_DIR is not set up: run scripts/bootstrap");
    }

    void sameIdsAsLlamaCpp_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("addsBos");
        QTest::newRow("llama3") << "llama-bpe" << true;
        QTest::newRow("qwen2") << "qwen2" << false;
        QTest::newRow("deepseek-llm") << "deepseek-llm" << true;
        QTest::newRow("deepseek-coder") << "deepseek-coder" << true;
        QTest::newRow("gpt-2") << "gpt-2" << false;
        QTest::newRow("starcoder") << "starcoder" << false;
        QTest::newRow("refact") << "refact" << false;
    }
    void sameIdsAsLlamaCpp() {
        QFETCH(QString, name);
        QFETCH(bool, addsBos);
        gguf::GgufFile file(vocabulary(name));
        gguf::GgufTokenizerFiles files;
        QString error = errorOf([&] { files = gguf::readGgufTokenizer(file); });
        QVERIFY2(error.isEmpty(), qPrintable(error));
        fs::path folder = fs::path(m_dir.path().toStdString()) / name.toStdString();
        fs::create_directories(folder);
        writeFile(folder / "tokenizer.json", files.tokenizerJson);
        writeFile(folder / "tokenizer_config.json", files.tokenizerConfigJson);
        tokenizer::Tokenizer tokenizer = tokenizer::loadTokenizer(folder);

        std::string inputs = vocabulary(name).string() + ".inp";
        std::vector<std::string> strings = tokenizer::test::llamaCppStrings(inputs);
        std::vector<std::vector<uint32_t>> expected =
            tokenizer::test::llamaCppIds(vocabulary(name).string() + ".out");
        QVERIFY(strings.size() > 30);
        QCOMPARE(strings.size(), expected.size());
        for (size_t i = 0; i < strings.size(); ++i) {
            std::vector<tokenizer::TokenId> ids = tokenizer.encode(strings[i]);
            QVERIFY2(
                ids == expected[i],
                qPrintable(
                    QString("string %1: '%2'").arg(i).arg(QString::fromStdString(strings[i]))));
        }
        QJsonObject config = parseObject(files.tokenizerConfigJson);
        QCOMPARE(config["add_bos_token"].toBool(), addsBos);
        std::vector<tokenizer::TokenId> withSpecial =
            tokenizer.addSpecialTokens(std::vector<tokenizer::TokenId>{42});
        QCOMPARE(withSpecial.size(), size_t(addsBos ? 2 : 1));
        if (addsBos)
            QCOMPARE(tokenizer.data().tokens[withSpecial[0]],
                     config["bos_token"].toString().toStdString());
    }

    void refusesWhatIsNotByteLevelBpe_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("error");
        QTest::newRow("sentencepiece")
            << "llama-spm"
            << "key 'tokenizer.ggml.model' is 'llama'; Strata imports byte-level BPE vocabularies "
               "('gpt2'), not SentencePiece ('llama')";
        QTest::newRow("wordpiece") << "bert-bge"
                                   << "key 'tokenizer.ggml.model' is 'bert'; Strata imports "
                                      "byte-level BPE vocabularies ('gpt2'), not 'bert'";
        QTest::newRow("unknown pre-tokenizer")
            << "falcon"
            << "key 'tokenizer.ggml.pre' is 'falcon', a pre-tokenizer Strata does "
               "not know";
    }
    void refusesWhatIsNotByteLevelBpe() {
        QFETCH(QString, name);
        QFETCH(QString, error);
        gguf::GgufFile file(vocabulary(name));
        QString message = errorOf([&] { gguf::readGgufTokenizer(file); });
        QVERIFY2(
            message.startsWith(QString::fromStdString(vocabulary(name).string()) + ": " + error),
            qPrintable(message));
    }

    // DeepSeek-V3's pre-tokenizer is written exactly as its own tokenizer.json has it.
    void deepseekV3SplitsAsItsTokenizerJson() {
        std::vector<std::string> bytes;
        for (int byte = 0; byte < 256; ++byte) {
            bytes.emplace_back();
            tokenizer::appendByteLevel(bytes.back(), std::string(1, char(byte)));
        }
        test::GgufBytes file;
        file.header(0, 4)
            .keyString("tokenizer.ggml.model", "gpt2")
            .keyString("tokenizer.ggml.pre", "deepseek-v3")
            .keyStrings("tokenizer.ggml.tokens", bytes)
            .keyStrings("tokenizer.ggml.merges", {});
        gguf::GgufTokenizerFiles files =
            gguf::readGgufTokenizer(gguf::GgufFile(file.bytes(), "v.gguf"));
        QFile reference(QString::fromStdString(
            (fs::path(STRATA_REFERENCE_DIR) / "deepseek-v3" / "tokenizer.json").string()));
        QVERIFY(reference.open(QIODevice::ReadOnly));
        QJsonObject expected = QJsonDocument::fromJson(reference.readAll()).object();
        QCOMPARE(parseObject(files.tokenizerJson)["pre_tokenizer"], expected["pre_tokenizer"]);
    }

    void refusesASpecialTokenOutsideTheVocabulary() {
        test::GgufBytes bytes;
        bytes.header(0, 5)
            .keyString("tokenizer.ggml.model", "gpt2")
            .keyString("tokenizer.ggml.pre", "qwen2")
            .keyStrings("tokenizer.ggml.tokens", {"a", "b"})
            .keyStrings("tokenizer.ggml.merges", {"a b"})
            .keyU32("tokenizer.ggml.eos_token_id", 7);
        gguf::GgufFile file(bytes.bytes(), "v.gguf");
        QCOMPARE(errorOf([&] { gguf::readGgufTokenizer(file); }),
                 QString("v.gguf: key 'tokenizer.ggml.eos_token_id' is 7, outside the vocabulary "
                         "of 2 tokens"));
    }
};

QTEST_GUILESS_MAIN(TestGgufTokenizer)
#include "tst_gguf_tokenizer.moc"
