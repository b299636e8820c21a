// Open model families in and out (hf_config.h, hf_tensors.h, hf_folder.h): transformers builds a
// tiny random model of every family Strata imports (hf_families.py: Llama with llama3 rotary
// scaling and biases, a tied Llama with a transformers 4.x config.json, Mistral's sliding window,
// sharded Qwen2 with biases, Qwen3 with query/key norms and YaRN, bfloat16 Qwen3-MoE without
// normalized top-k and with a dense layer between, Mixtral, DeepSeek-V3 with group-limited routing,
// routed scaling and YaRN's mscale, and DeepSeek-V3 with direct queries). Strata imports each and
// gives every next-token log-probability transformers gives, within 1e-4 in float32; exports each
// back as the same class, which transformers loads cleanly to the same log-probabilities, with the
// chat template and generation config it came with. What
// Strata cannot compute (unknown families, feed-forward biases, LongRoPE, per-layer windows,
// other activations) is refused by key, and so are a missing shard and weights of another type.
// Skipped, saying why, when the pytools python cannot import torch and transformers.
#include "core/model/hf_folder.h"
#include "core/model/model_folder.h"
#include "core/model/next_token_logprobs.h"
#include "core/tokenizer/tokenizer_json.h"
#include "tests/core/model/reference_json.h"
#include "tests/error_of.h"
#include "tests/reference_python.h"

#include <torch/torch.h>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace strata;
namespace fs = std::filesystem;
using test::idsOf;
using test::logProbsOf;
using test::maxDifference;
using test::readJson;
using test::readText;

namespace {

constexpr double kLogProbTolerance = 1e-4;
constexpr const char* kTemplate = "{% for m in messages %}{{ m.content }}{% endfor %}";

void writeText(const fs::path& path, const char* text) {
    QFile file(QString::fromStdString(path.string()));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

// Import needs a tokenizer.json beside the weights; the byte tokens are enough here.
void writeByteTokenizer(const fs::path& folder) {
    tokenizer::TokenizerData data;
    for (int byte = 0; byte < 256; ++byte)
        data.tokens.emplace_back(1, char(byte));
    tokenizer::saveTokenizerJson(data, folder / model::kTokenizerFile);
}

}  // namespace

class TestHfFamilies : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path m_built;

    // Runs hf_families.py; an empty string on success, else why not.
    QString runPython(const QStringList& arguments) const {
        QProcess python;
        python.setProcessEnvironment(test::referencePythonEnvironment(STRATA_TORCH_SITE_PACKAGES));
        python.start(STRATA_PYTOOLS_PYTHON, QStringList{HF_FAMILIES_SCRIPT} + arguments);
        if (!python.waitForFinished(180000)) return "hf_families.py did not finish";
        if (python.exitCode() != 0) return QString::fromUtf8(python.readAllStandardError());
        return {};
    }

    std::vector<fs::path> families() const { return test::subfolders(m_built); }

private slots:
    void initTestCase() {
        if (QString(STRATA_PYTOOLS_PYTHON).isEmpty())
            QSKIP("no pytools python configured (STRATA_PYTOOLS_PYTHON)");
        m_built = fs::path(m_dir.path().toStdString()) / "hf";
        QString error = runPython({"build", QString::fromStdString(m_built.string())});
        if (error.contains("No module named"))
            QSKIP(qPrintable("transformers cannot run here: " + error.trimmed()));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(families().size(), size_t(9));
    }

    void importGivesTransformersLogProbs() {
        torch::manual_seed(0);
        for (const fs::path& hf : families()) {
            const std::string name = hf.filename().string();
            QJsonObject expected = readJson(hf / "expected.json");
            writeByteTokenizer(hf);
            writeText(hf / model::kChatTemplateFile, kTemplate);
            fs::path imported = fs::path(m_dir.path().toStdString()) / "imported" / name;
            model::importHfFolder(hf, imported);
            // What came with the tokenizer stays with it.
            QCOMPARE(readText(imported / model::kChatTemplateFile), QString(kTemplate));
            QVERIFY(fs::exists(imported / model::kGenerationConfigFile));

            model::LoadedModel loaded = model::loadModelFolder(imported);
            QCOMPARE(QString(model_spec::hfArchitectureName(loaded.config.family)),
                     expected["class"].toString());
            loaded.model->eval();
            torch::Tensor ours =
                model::nextTokenLogProbs(loaded.model, idsOf(expected["ids"].toArray()));
            double difference = maxDifference(ours, logProbsOf(expected["logprobs"].toArray()));
            qInfo("%s: largest log-probability difference %.3g", name.c_str(), difference);
            QVERIFY2(difference < kLogProbTolerance,
                     qPrintable(QString("%1: log-probabilities differ by %2")
                                    .arg(QString::fromStdString(name))
                                    .arg(difference)));
        }
    }

    void exportKeepsTheFamily() {
        fs::path root = fs::path(m_dir.path().toStdString());
        QStringList arguments{"score", QString::fromStdString((root / "ids.json").string())};
        std::vector<std::pair<fs::path, QJsonObject>> exports;
        for (const fs::path& hf : families()) {
            const std::string name = hf.filename().string();
            QJsonObject expected = readJson(hf / "expected.json");
            fs::path exported = root / "exported" / name;
            model::exportHfFolder(root / "imported" / name, exported, {});
            arguments << QString::fromStdString(exported.string())
                      << QString::fromStdString((exported / "scored.json").string());
            exports.emplace_back(exported, expected);
        }
        // Every family scores the same rows: those of the first, within every vocabulary.
        QFile ids(QString::fromStdString((root / "ids.json").string()));
        QVERIFY(ids.open(QIODevice::WriteOnly));
        ids.write(QJsonDocument(exports.front().second["ids"].toArray()).toJson());
        ids.close();
        QString error = runPython(arguments);
        QVERIFY2(error.isEmpty(), qPrintable(error));

        for (const auto& [exported, expected] : exports) {
            QJsonObject scored = readJson(exported / "scored.json");
            QCOMPARE(scored["class"].toString(), expected["class"].toString());
            QCOMPARE(readText(exported / model::kChatTemplateFile), QString(kTemplate));
            QVERIFY(fs::exists(exported / model::kGenerationConfigFile));
            model::LoadedModel loaded = model::loadModelFolder(
                exported.parent_path().parent_path() / "imported" / exported.filename());
            loaded.model->eval();
            torch::Tensor ours = model::nextTokenLogProbs(
                loaded.model, idsOf(exports.front().second["ids"].toArray()));
            double difference = maxDifference(ours, logProbsOf(scored["logprobs"].toArray()));
            QVERIFY2(difference < kLogProbTolerance,
                     qPrintable(QString("%1: exported log-probabilities differ by %2")
                                    .arg(QString::fromStdString(exported.filename().string()))
                                    .arg(difference)));
        }
    }

    void exportRefusesAFamilyThatCannotHoldTheModel() {
        fs::path root = fs::path(m_dir.path().toStdString());
        fs::path edited = root / "edited-qwen3";
        fs::copy(root / "imported" / "qwen3", edited);
        QFile config(QString::fromStdString((edited / model::kModelConfigFile).string()));
        QVERIFY(config.open(QIODevice::ReadOnly));
        QString text = QString::fromUtf8(config.readAll());
        config.close();
        QVERIFY(text.contains("qk_norm = true"));
        QVERIFY(config.open(QIODevice::WriteOnly | QIODevice::Truncate));
        config.write(text.replace("qk_norm = true", "qk_norm = false").toUtf8());
        config.close();
        QString error = errorOf([&] { model::exportHfFolder(edited, root / "unused", {}); });
        QVERIFY2(error.endsWith("model.attention.qk_norm = false has no Qwen3 equivalent (Qwen3 "
                                "reads back qk_norm = true)"),
                 qPrintable(error));
        QVERIFY(!fs::exists(root / "unused"));
    }

    void refusesWhatStrataCannotCompute_data() {
        QTest::addColumn<QString>("family");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");  // JSON
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown") << "llama"
                                 << "model_type"
                                 << "\"gpt_neox\""
                                 << "key 'model_type' is \"gpt_neox\"; Strata imports llama, "
                                    "mistral, qwen2, qwen3, qwen3_moe, mixtral, deepseek_v3";
        QTest::newRow("mlp bias") << "llama"
                                  << "mlp_bias"
                                  << "true"
                                  << "key 'mlp_bias' is true";
        QTest::newRow("longrope") << "qwen3"
                                  << "rope_parameters"
                                  << R"({"rope_type": "longrope", "rope_theta": 10000.0})"
                                  << "key 'rope_parameters.rope_type' is \"longrope\"";
        QTest::newRow("layer windows") << "qwen2"
                                       << "use_sliding_window"
                                       << "true"
                                       << "key 'use_sliding_window': a sliding window on some "
                                          "layers only";
        QTest::newRow("gelu") << "mistral"
                              << "hidden_act"
                              << "\"gelu\""
                              << "key 'hidden_act' is \"gelu\"";
    }
    void refusesWhatStrataCannotCompute() {
        QFETCH(QString, family);
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, message);
        QJsonObject config = readJson(m_built / family.toStdString() / model::kHfConfigFile);
        config[key] = QJsonDocument::fromJson("[" + value.toUtf8() + "]").array()[0];
        if (key == "use_sliding_window") config["max_window_layers"] = 1;
        fs::path file = fs::path(m_dir.path().toStdString()) / "edited-config.json";
        QFile out(QString::fromStdString(file.string()));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QJsonDocument(config).toJson());
        out.close();
        QString error = errorOf([&] { model_spec::readHfConfig(file); });
        QVERIFY2(error.startsWith(QString::fromStdString(file.string()) + ": " + message),
                 qPrintable(error));
        QVERIFY(!error.contains('\n'));
    }

    void refusesAMissingShardOrAWrongType() {
        fs::path root = fs::path(m_dir.path().toStdString());
        fs::path sharded = root / "sharded";
        fs::copy(m_built / "qwen2", sharded);
        fs::remove(sharded / "model-00003-of-00005.safetensors");
        QString error = errorOf([&] { model::importHfFolder(sharded, root / "unused"); });
        QVERIFY2(error.contains("model-00003-of-00005.safetensors") && !error.contains('\n'),
                 qPrintable(error));
        QVERIFY(!fs::exists(root / "unused"));

        fs::path typed = root / "typed";
        fs::copy(m_built / "llama", typed);
        auto tensors = model::mapSafetensors(typed / model::kHfWeightsFile).tensors;
        std::map<std::string, torch::Tensor> copies;
        for (auto& [name, tensor] : tensors)
            copies[name] = tensor.clone();
        copies["model.norm.weight"] = copies["model.norm.weight"].to(torch::kInt32);
        model::saveSafetensors(typed / model::kHfWeightsFile,
                               model::NamedTensors(copies.begin(), copies.end()));
        error = errorOf([&] { model::importHfFolder(typed, root / "unused"); });
        QVERIFY2(error.endsWith("tensor 'model.norm.weight' is Int; weights are float32, "
                                "bfloat16 or float16"),
                 qPrintable(error));
        QVERIFY(!fs::exists(root / "unused"));
    }
};

QTEST_GUILESS_MAIN(TestHfFamilies)
#include "tst_hf_families.moc"
