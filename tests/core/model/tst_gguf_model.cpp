// GGUF files in (gguf_model.h), against llama.cpp's converter and transformers: tiny random models
// of every family Strata imports from GGUF (gguf_families.py: Llama, a tied Llama in Q8_0, Qwen2,
// Qwen3 with a head size of its own, Qwen3-MoE, Mixtral and DeepSeek-V3 with latent attention and
// group-limited routing), with SmolLM2's real tokenizer and chat template, written as GGUF by
// llama.cpp's own convert_hf_to_gguf.py. Strata imports each and gives every next-token
// log-probability transformers gives (for the Q8_0 file, transformers reading that same file),
// within 1e-4 in float32, with the tokenizer's ids and the chat template carried over. A file that
// is truncated, of another architecture or with a SentencePiece vocabulary is a one-line error
// and leaves nothing behind. Skipped, saying why, without the pytools python or the reference
// files.
#include "core/model/gguf_model.h"
#include "core/model/model_folder.h"
#include "core/model/next_token_logprobs.h"
#include "core/tokenizer/tokenizer_json.h"
#include "tests/core/gguf/gguf_bytes.h"
#include "tests/error_of.h"

#include <torch/torch.h>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace strata;
namespace fs = std::filesystem;

namespace {

constexpr double kLogProbTolerance = 1e-4;
const fs::path kReferenceDir = STRATA_REFERENCE_DIR;

QJsonObject readJson(const fs::path& path) {
    QFile file(QString::fromStdString(path.string()));
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QString readText(const fs::path& path) {
    QFile file(QString::fromStdString(path.string()));
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(file.readAll());
}

torch::Tensor idsOf(const QJsonArray& rows) {
    std::vector<int64_t> values;
    for (const QJsonValue& row : rows)
        for (const QJsonValue& id : row.toArray())
            values.push_back(id.toInteger());
    return torch::tensor(values).view({rows.size(), -1});
}

// [[null, x, ...], ...] without each row's leading null.
torch::Tensor logProbsOf(const QJsonArray& rows) {
    std::vector<double> values;
    for (const QJsonValue& row : rows) {
        QJsonArray items = row.toArray();
        for (qsizetype t = 1; t < items.size(); ++t)
            values.push_back(items[t].toDouble());
    }
    return torch::tensor(values, torch::kFloat64).view({rows.size(), -1});
}

}  // namespace

class TestGgufModel : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path m_built;

    fs::path path(const char* name) const { return fs::path(m_dir.path().toStdString()) / name; }

    std::vector<fs::path> families() const {
        std::vector<fs::path> folders;
        for (const auto& entry : fs::directory_iterator(m_built))
            folders.push_back(entry.path());
        std::sort(folders.begin(), folders.end());
        return folders;
    }

private slots:
    void initTestCase() {
        if (QString(STRATA_PYTOOLS_PYTHON).isEmpty())
            QSKIP("no pytools python configured (STRATA_PYTOOLS_PYTHON)");
        if (!fs::exists(kReferenceDir / "llama.cpp" / "convert" / "convert_hf_to_gguf.py"))
            QSKIP("STRATA_REFERENCE_DIR has no llama.cpp converter: run scripts/bootstrap");
        m_built = path("gguf");
        QProcess python;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("STRATA_TORCH_SITE_PACKAGES", STRATA_TORCH_SITE_PACKAGES);
        environment.insert("HF_HUB_DISABLE_PROGRESS_BARS", "1");
        environment.insert("TQDM_DISABLE", "1");
        python.setProcessEnvironment(environment);
        python.start(STRATA_PYTOOLS_PYTHON,
                     {GGUF_FAMILIES_SCRIPT, "build", QString::fromStdString(kReferenceDir.string()),
                      QString::fromStdString(m_built.string())});
        QVERIFY(python.waitForFinished(600000));
        QString error = QString::fromUtf8(python.readAllStandardError());
        if (error.contains("No module named"))
            QSKIP(qPrintable("transformers cannot run here: " + error.trimmed()));
        QVERIFY2(python.exitCode() == 0, qPrintable(error));
        QCOMPARE(families().size(), size_t(7));
    }

    void importGivesTransformersLogProbs() {
        torch::manual_seed(0);
        for (const fs::path& family : families()) {
            const std::string name = family.filename().string();
            QJsonObject expected = readJson(family / "expected.json");
            fs::path imported = path("imported") / name;
            model_spec::HfModelConfig hf = model::importGguf(family / "model.gguf", imported);
            QCOMPARE(QString(model_spec::hfArchitectureName(hf.config.family)),
                     expected["class"].toString());

            model::LoadedModel loaded = model::loadModelFolder(imported);
            loaded.model->eval();
            torch::Tensor ours =
                model::nextTokenLogProbs(loaded.model, idsOf(expected["ids"].toArray()));
            double difference =
                (ours.to(torch::kFloat64) - logProbsOf(expected["logprobs"].toArray()))
                    .abs()
                    .max()
                    .item<double>();
            qInfo("%s: largest log-probability difference %.3g", name.c_str(), difference);
            QVERIFY2(difference < kLogProbTolerance,
                     qPrintable(QString("%1: log-probabilities differ by %2")
                                    .arg(QString::fromStdString(name))
                                    .arg(difference)));

            // The tokenizer and its chat template come along, giving SmolLM2's own ids.
            QJsonObject config = readJson(imported / model::kTokenizerConfigFile);
            QJsonObject original = readJson(family / "hf" / model::kTokenizerConfigFile);
            QCOMPARE(config["chat_template"].toString(),
                     readText(family / "hf" / model::kChatTemplateFile));
            QCOMPARE(config["eos_token"], original["eos_token"]);
            tokenizer::Tokenizer ggufTokenizer = tokenizer::loadTokenizer(imported);
            tokenizer::Tokenizer hfTokenizer = tokenizer::loadTokenizer(family / "hf");
            for (const char* text : {"Hello, world! 12345", "<|im_start|>user\nhi<|im_end|>"})
                QCOMPARE(ggufTokenizer.encode(text, tokenizer::SpecialPolicy::all()),
                         hfTokenizer.encode(text, tokenizer::SpecialPolicy::all()));
        }
    }

    void refusesBadFilesAndWritesNothing_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("error");
        QTest::newRow("truncated") << "truncated.gguf"
                                   << "runs past the end of the file";
        QTest::newRow("another architecture")
            << "phi3.gguf"
            << "architecture 'phi3' is not one Strata imports from GGUF (llama, "
               "qwen2, qwen3, qwen3moe and deepseek2)";
        QTest::newRow("sentencepiece")
            << "spm.gguf"
            << "key 'tokenizer.ggml.model' is 'llama'; Strata imports byte-level "
               "BPE vocabularies ('gpt2'), not SentencePiece ('llama')";
    }
    void refusesBadFilesAndWritesNothing() {
        QFETCH(QString, file);
        QFETCH(QString, error);
        fs::path input = path(file.toUtf8().constData());
        if (file == "truncated.gguf") {
            std::ifstream in(m_built / "qwen2" / "model.gguf", std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)), {});
            std::ofstream(input, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
        } else if (file == "phi3.gguf") {
            test::GgufBytes bytes;
            bytes.header(0, 1).keyString("general.architecture", "phi3");
            std::ofstream(input, std::ios::binary) << bytes.bytes();
        } else {
            fs::copy_file(kReferenceDir / "llama.cpp" / "models" / "ggml-vocab-llama-spm.gguf",
                          input);
        }
        fs::path output = path("refused");
        QString message = errorOf([&] { model::importGguf(input, output); });
        QVERIFY2(message.startsWith(QString::fromStdString(input.string()) + ": ") &&
                     message.contains(error),
                 qPrintable(message));
        QVERIFY(!fs::exists(output));
    }
};

QTEST_GUILESS_MAIN(TestGgufModel)
#include "tst_gguf_model.moc"
