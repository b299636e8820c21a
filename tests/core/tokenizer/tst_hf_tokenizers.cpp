// Real tokenizers of open model families against Hugging Face tokenizers 0.23 and transformers
// 5 (through hf_tokenizers.py and the pinned pytools python): DeepSeek-V3's own tokenizer.json,
// and Llama 3 (llama-bpe, also with Llama 3's ignore_merges), Qwen2 and a Llama-2/Mistral style
// byte-fallback vocabulary (llama-spm) that transformers builds from llama.cpp's vocabulary
// GGUFs. Over llama.cpp's test strings plus multilingual, emoji, whitespace, digit and special
// token text: the ids with and without add_special_tokens, decode of both, and the ids Hugging
// Face gives for the tokenizer.json Strata writes back. The converted folders are cached in the
// build directory. Skips only when STRATA_REFERENCE_DIR or the pytools python is not set up.
#include "core/common/json_writer.h"
#include "core/tokenizer/tokenizer_json.h"
#include "tests/core/tokenizer/llama_cpp_strings.h"
#include "tests/core/tokenizer/test_text.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace strata;
using namespace strata::tokenizer;

namespace {

namespace fs = std::filesystem;

const fs::path kReferenceDir = STRATA_REFERENCE_DIR;
const fs::path kLlamaCppModels = kReferenceDir / "llama.cpp" / "models";

struct Expected {
    std::vector<TokenId> ids;
    std::vector<TokenId> special;
    std::string decoded;
    std::string decodedSpecial;
};

std::vector<TokenId> idsOf(const QJsonValue& value) {
    std::vector<TokenId> ids;
    for (const QJsonValue& id : value.toArray())
        ids.push_back(TokenId(id.toInteger()));
    return ids;
}

std::vector<Expected> readExpected(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    std::vector<Expected> out;
    for (const QByteArray& line : file.readAll().split('\n')) {
        if (line.isEmpty()) continue;
        QJsonObject record = QJsonDocument::fromJson(line).object();
        out.push_back({idsOf(record["ids"]), idsOf(record["special"]),
                       record["decoded"].toString().toStdString(),
                       record["decoded_special"].toString().toStdString()});
    }
    return out;
}

std::vector<std::string> probeStrings() {
    std::vector<std::string> strings =
        tokenizer::test::llamaCppStrings(kLlamaCppModels / "ggml-vocab-llama-bpe.gguf.inp");
    const char* extra[] = {
        "",
        "Grüße aus Köln, naïve café, Ångström, ﬁne ﬂow ① ＡＢＣ",
        "日本語のテキストと漢字、カタカナ。中文文本，还有标点！한국어 텍스트",
        "Русский текст, ελληνικά, עברית, العربية, हिन्दी, ไทย",
        "👩🏽‍💻 🏳️‍🌈 ✌🏿 1️⃣ 🦙🦙🦙",
        "   spaces   and\n\n\nnewlines \r\n\t mixed \u00A0\u3000 end  ",
        " leading space",
        "\n\nleading newlines",
        "12345 3.14159 1,000,000 ⅫⅧ ²³ ٣٤٥ 0x1F 2024-06-01",
        "It's we'VE they'LL don't I'm 'ſ",
        "<s>[INST] hi [/INST] answer</s><unk>",
        "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>",
        "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nhi<|im_end|>",
        "<|endoftext|>text<|endoftext|>",
        "<｜begin▁of▁sentence｜>sys<｜User｜>hi<｜Assistant｜><think>\nhmm</"
        "think>ok<｜end▁of▁sentence｜>",
        "x<think>y </think> z <｜tool▁calls▁begin｜> <|EOT|>",
        "<s>hello</s> <s> spaced </s>",
        "▁already▁has▁metaspace ▁ ▁▁",
        "tab\tseparated\tvalues\tand\u000Bvertical\u000Cfeed",
        "Z\u0351\u0357a\u033E e\u0301\u0301 \u0301x",
        "def f(x):\n    return x ** 2  # square\n\n\tif x: pass",
    };
    for (const char* text : extra)
        strings.emplace_back(text);
    return strings;
}

}  // namespace

class TestHfTokenizers : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (std::string_view(STRATA_REFERENCE_DIR).empty() ||
            !fs::exists(kReferenceDir / "deepseek-v3" / "tokenizer.json"))
            QSKIP(
                "STRATA_REFERENCE_DIR is not set up: run scripts/bootstrap and configure with "
                "-DSTRATA_REFERENCE_DIR=<its reference folder>");
        if (std::string_view(STRATA_PYTOOLS_PYTHON).empty())
            QSKIP(
                "STRATA_PYTOOLS_PYTHON is empty: run scripts/bootstrap and configure with "
                "-DSTRATA_PYTOOLS_PYTHON=<its python>");
        QVERIFY(m_dir.isValid());
        m_strings = probeStrings();
        QVERIFY(m_strings.size() > 60);
        test::writeJsonLines(path("strings.jsonl").toStdString(), m_strings);
        QDir().mkpath(HF_TOKENIZERS_CACHE);
        for (const char* name : {"llama-bpe", "qwen2", "llama-spm"}) {
            fs::path folder = fs::path(HF_TOKENIZERS_CACHE) / name;
            if (fs::exists(folder / "tokenizer_config.json")) continue;
            fs::path gguf = kLlamaCppModels / (std::string("ggml-vocab-") + name + ".gguf");
            runPython({"convert", QString::fromStdString(gguf.string()),
                       QString::fromStdString(folder.string())});
        }
    }

    void sameIdsAsHuggingFace_data() {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<bool>("fastPath");
        QTest::newRow("deepseek-v3")
            << QString::fromStdString((kReferenceDir / "deepseek-v3").string()) << true;
        QTest::newRow("llama3") << cached("llama-bpe") << true;
        QTest::newRow("qwen2") << cached("qwen2") << true;
        QTest::newRow("llama2-byte-fallback") << cached("llama-spm") << false;
    }
    void sameIdsAsHuggingFace() {
        QFETCH(QString, folder);
        QFETCH(bool, fastPath);
        compareFolder(folder, fastPath);
    }

    // Real Llama 3 files set ignore_merges; the GGUF conversion does not.
    void llama3IgnoreMerges() {
        TokenizerData data = readTokenizer(cached("llama-bpe").toStdString());
        QVERIFY(!data.bpe.ignoreMerges);
        data.bpe.ignoreMerges = true;
        QString folder = path("llama3-ignore-merges");
        QDir().mkpath(folder);
        saveTokenizerJson(data, (folder + "/tokenizer.json").toStdString());
        QVERIFY(QFile::copy(cached("llama-bpe") + "/tokenizer_config.json",
                            folder + "/tokenizer_config.json"));
        compareFolder(folder, true);
    }

    // What Strata writes, Hugging Face reads to the same ids.
    void savedFilesReadTheSameInHuggingFace_data() { sameIdsAsHuggingFace_data(); }
    void savedFilesReadTheSameInHuggingFace() {
        QFETCH(QString, folder);
        TokenizerData data = readTokenizer(folder.toStdString());
        QString saved = path("saved.json");
        saveTokenizerJson(data, saved.toStdString());
        TokenizerData reread = readTokenizerJson(saved.toStdString());
        QCOMPARE(formatTokenizerJson(reread), formatTokenizerJson(data));
        runPython({"encode", saved, path("strings.jsonl"), path("saved.ids")});
        std::vector<Expected> expected = readExpected(path("saved.ids"));
        QCOMPARE(expected.size(), m_strings.size());
        Tokenizer tokenizer(std::move(data));
        for (size_t i = 0; i < m_strings.size(); ++i)
            QCOMPARE(tokenizer.encode(m_strings[i], SpecialPolicy::all()), expected[i].ids);
    }

    // The parts and options of tokenizer.json that real files of the open families use but the
    // five above do not, each on a variation of a real tokenizer that Hugging Face builds.
    void variantsReadAsHuggingFaceReadsThem() {
        std::vector<std::string> strings = m_strings;
        for (const char* text :
             {"a <mask> b and  <mask>c", "x[TOOL]  y [TOOL]", "concatz catz catzs a catz. Catz catz",
              "ＡＢＣ ABC abc", "hot dog  dogs dog", "x1y22 007 3.14"})
            strings.emplace_back(text);
        test::writeJsonLines(path("variant-strings.jsonl").toStdString(), strings);
        runPython({"variants", cached("qwen2"), cached("llama-spm"), path("variant-strings.jsonl"),
                   path("variants")});
        QFile list(path("variants/variants.txt"));
        QVERIFY(list.open(QIODevice::ReadOnly));
        int checked = 0;
        for (const QByteArray& line : list.readAll().split('\n')) {
            if (line.isEmpty()) continue;
            QString name = QString::fromUtf8(line);
            std::vector<Expected> expected = readExpected(path("variants/" + name + ".jsonl"));
            QCOMPARE(expected.size(), strings.size());
            Tokenizer tokenizer(
                readTokenizerJson(path("variants/" + name + "/tokenizer.json").toStdString()));
            for (size_t i = 0; i < strings.size(); ++i) {
                std::vector<TokenId> ids = tokenizer.encode(strings[i], SpecialPolicy::all());
                if (ids != expected[i].ids)
                    qWarning("%s: string %zu differs: %s", line.constData(), i, strings[i].c_str());
                QCOMPARE(ids, expected[i].ids);
                std::string decoded = tokenizer.decodeText(ids);
                if (decoded != expected[i].decoded)
                    qWarning("%s: decode of string %zu differs: %s", line.constData(), i,
                             decoded.c_str());
                QCOMPARE(decoded, expected[i].decoded);
            }
            ++checked;
        }
        QCOMPARE(checked, 17);
    }

private:
    QString path(const char* name) const { return m_dir.filePath(name); }
    QString path(const QString& name) const { return m_dir.filePath(name); }
    static QString cached(const char* name) {
        return QString::fromStdString((fs::path(HF_TOKENIZERS_CACHE) / name).string());
    }

    void runPython(const QStringList& arguments) {
        QProcess process;
        process.start(STRATA_PYTOOLS_PYTHON, QStringList{HF_TOKENIZERS_SCRIPT} + arguments);
        QVERIFY2(process.waitForFinished(120000), "hf_tokenizers.py did not finish");
        QByteArray errors = process.readAllStandardError();
        QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
                 errors.constData());
    }

    void compareFolder(const QString& folder, bool fastPath) {
        runPython({"expect", folder, path("strings.jsonl"), path("expected.jsonl")});
        std::vector<Expected> expected = readExpected(path("expected.jsonl"));
        QCOMPARE(expected.size(), m_strings.size());
        Tokenizer tokenizer = loadTokenizer(folder.toStdString());
        QCOMPARE(tokenizer.isFastPath(), fastPath);
        for (size_t i = 0; i < m_strings.size(); ++i) {
            const std::string& text = m_strings[i];
            std::vector<TokenId> ids = tokenizer.encode(text, SpecialPolicy::all());
            if (ids != expected[i].ids) qWarning("string %zu differs: %s", i, text.c_str());
            QCOMPARE(ids, expected[i].ids);
            QCOMPARE(tokenizer.addSpecialTokens(ids), expected[i].special);
            QCOMPARE(tokenizer.decodeText(expected[i].ids), expected[i].decoded);
            QCOMPARE(tokenizer.decodeText(expected[i].special), expected[i].decodedSpecial);
        }
    }

    QTemporaryDir m_dir;
    std::vector<std::string> m_strings;
};

QTEST_APPLESS_MAIN(TestHfTokenizers)
#include "tst_hf_tokenizers.moc"
