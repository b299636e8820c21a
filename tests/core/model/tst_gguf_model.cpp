// GGUF files in (gguf_model.h), against llama.cpp's converter and transformers: tiny random models
// of every family Strata imports from GGUF (gguf_families.py: Llama, a tied Llama in Q8_0, Qwen2,
// Qwen3 with a head size of its own, Qwen3-MoE, Mixtral and DeepSeek-V3 with latent attention and
// group-limited routing), with SmolLM2's real tokenizer and chat template, written as GGUF by
// llama.cpp's own convert_hf_to_gguf.py. Strata imports each and gives every next-token
// log-probability transformers gives (for the Q8_0 file, transformers reading that same file),
// within 1e-4 in float32, with the tokenizer's ids and the chat template carried over. Exported
// back in float32, each file is the converter's own, tensor for tensor and key for key; in F16,
// BF16 and Q8_0 transformers reads it to the log-probabilities Strata gives for it. A model
// llama.cpp cannot run as Strata computes it is refused by name. A file that
// is truncated, of another architecture or with a SentencePiece vocabulary is a one-line error
// and leaves nothing behind. Skipped, saying why, without the pytools python or the reference
// files.
#include "core/model/gguf_model.h"
#include "core/model/hf_folder.h"
#include "core/model/model_folder.h"
#include "core/model/next_token_logprobs.h"
#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/tokenizer_json.h"
#include "tests/core/gguf/gguf_bytes.h"
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

#include <fstream>

using namespace strata;
namespace fs = std::filesystem;
using test::idsOf;
using test::logProbsOf;
using test::maxDifference;
using test::readJson;
using test::readText;

namespace {

constexpr double kLogProbTolerance = 1e-4;
const fs::path kReferenceDir = STRATA_REFERENCE_DIR;

model_spec::HfSpecialTokens specialTokens(const fs::path& folder) {
    return model::specialTokensOf(tokenizer::loadTokenizer(folder));
}

// Whether two metadata values are equal: numbers by value whatever their width, arrays element by
// element.
bool sameValue(const gguf::Value& a, const gguf::Value& b) {
    auto number = [](const gguf::Value& v) -> std::optional<double> {
        if (const auto* x = std::get_if<uint64_t>(&v.data)) return double(*x);
        if (const auto* x = std::get_if<int64_t>(&v.data)) return double(*x);
        if (const auto* x = std::get_if<double>(&v.data)) return *x;
        return std::nullopt;
    };
    if (number(a) && number(b)) return *number(a) == *number(b);
    const auto* arrayA = std::get_if<gguf::Array>(&a.data);
    const auto* arrayB = std::get_if<gguf::Array>(&b.data);
    if (arrayA && arrayB)
        return arrayA->values.size() == arrayB->values.size() &&
               std::equal(arrayA->values.begin(), arrayA->values.end(), arrayB->values.begin(),
                          sameValue);
    const auto* stringA = std::get_if<std::string_view>(&a.data);
    const auto* stringB = std::get_if<std::string_view>(&b.data);
    if (stringA && stringB) return *stringA == *stringB;
    const auto* flagA = std::get_if<bool>(&a.data);
    const auto* flagB = std::get_if<bool>(&b.data);
    return flagA && flagB && *flagA == *flagB;
}

void replaceInFile(const fs::path& path, const QString& before, const QString& after) {
    QFile file(QString::fromStdString(path.string()));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QString text = QString::fromUtf8(file.readAll());
    file.close();
    QVERIFY2(text.contains(before), qPrintable(before));
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text.replace(before, after).toUtf8());
}

}  // namespace

class TestGgufModel : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path m_built;

    fs::path path(const char* name) const { return fs::path(m_dir.path().toStdString()) / name; }

    // Runs gguf_families.py; empty on success, else its error output.
    QString runPython(const QStringList& arguments) const {
        QProcess python;
        python.setProcessEnvironment(test::referencePythonEnvironment(STRATA_TORCH_SITE_PACKAGES));
        python.start(STRATA_PYTOOLS_PYTHON, QStringList{GGUF_FAMILIES_SCRIPT} + arguments);
        if (!python.waitForFinished(600000)) return "gguf_families.py did not finish";
        if (python.exitCode() != 0) return QString::fromUtf8(python.readAllStandardError());
        return {};
    }

    // The family's GGUF imported once (importGivesTransformersLogProbs does it first).
    fs::path imported(const std::string& name) const {
        fs::path folder = path("imported") / name;
        if (!fs::exists(folder)) model::importGguf(m_built / name / "model.gguf", folder);
        return folder;
    }

    torch::Tensor strataLogProbs(const fs::path& folder, const QJsonArray& ids) const {
        model::LoadedModel loaded = model::loadModelFolder(folder);
        loaded.model->eval();
        return model::nextTokenLogProbs(loaded.model, idsOf(ids)).to(torch::kFloat64);
    }

    std::vector<fs::path> families() const { return test::subfolders(m_built); }

private slots:
    void initTestCase() {
        if (QString(STRATA_PYTOOLS_PYTHON).isEmpty())
            QSKIP("no pytools python configured (STRATA_PYTOOLS_PYTHON)");
        if (!fs::exists(kReferenceDir / "llama.cpp" / "convert" / "convert_hf_to_gguf.py"))
            QSKIP("STRATA_REFERENCE_DIR has no llama.cpp converter: run scripts/bootstrap");
        m_built = path("gguf");
        QString error = runPython({"build", QString::fromStdString(kReferenceDir.string()),
                                   QString::fromStdString(m_built.string())});
        if (error.contains("No module named"))
            QSKIP(qPrintable("transformers cannot run here: " + error.trimmed()));
        QVERIFY2(error.isEmpty(), qPrintable(error));
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
            double difference = maxDifference(ours, logProbsOf(expected["logprobs"].toArray()));
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

    // An export in float32 is what llama.cpp's converter wrote from the same model: the same
    // tensors bit for bit, with the same names, types and shapes, and the same model and tokenizer
    // metadata.
    void exportIsWhatLlamaCppsConverterWrites() {
        for (const fs::path& family : families()) {
            const std::string name = family.filename().string();
            if (name.ends_with("-q8_0")) continue;
            fs::path exported = path("exported") / name / "model.gguf";
            fs::create_directories(exported.parent_path());
            model::exportGguf(imported(name), exported, gguf::GgmlType::F32,
                              specialTokens(imported(name)));
            gguf::GgufFile ours(exported);
            gguf::GgufFile theirs(family / "model.gguf");
            QCOMPARE(ours.tensors().size(), theirs.tensors().size());
            for (const gguf::TensorInfo& tensor : theirs.tensors()) {
                const gguf::TensorInfo* mine = ours.findTensor(tensor.name);
                QVERIFY2(mine, tensor.name.data());
                QVERIFY2(mine->type == tensor.type && mine->shape == tensor.shape &&
                             ours.tensorData(*mine) == theirs.tensorData(tensor),
                         qPrintable(QString("%1: tensor %2 differs")
                                        .arg(QString::fromStdString(name))
                                        .arg(tensor.name.data())));
            }
            std::string architecture(theirs.string("general.architecture"));
            QCOMPARE(ours.string("general.architecture"), theirs.string("general.architecture"));
            for (const auto& [key, value] : theirs.metadata()) {
                bool described =
                    key.starts_with(architecture + ".") || key.starts_with("tokenizer.");
                // The converter also writes the dense width of an all-expert model (unused) and
                // an unknown token byte-level BPE never produces.
                if (!described || key == "qwen3moe.feed_forward_length" ||
                    key == "tokenizer.ggml.unknown_token_id")
                    continue;
                const gguf::Value* mine = ours.find(key);
                QVERIFY2(mine && sameValue(*mine, value),
                         qPrintable(QString("%1: key %2 differs")
                                        .arg(QString::fromStdString(name))
                                        .arg(QString::fromUtf8(key.data(), key.size()))));
            }
        }
    }

    // transformers reads what Strata writes, in each type, to the log-probabilities Strata gives
    // for that same file; how far the type moves them from the float32 model is printed.
    // (transformers' GGUF reader takes Qwen3's head size from its class default, not from
    // attention.key_length, so it cannot read the Qwen3 here, llama.cpp's file or Strata's.)
    void transformersReadsTheExport() {
        struct Case {
            std::string family;
            gguf::GgmlType type;
        };
        const Case cases[] = {{"llama", gguf::GgmlType::F16},
                              {"llama", gguf::GgmlType::Q8_0},
                              {"llama-tied-q8_0", gguf::GgmlType::BF16},
                              {"qwen2", gguf::GgmlType::Q8_0}};
        QStringList arguments{"score"};
        std::vector<fs::path> folders;
        for (const Case& c : cases) {
            fs::path folder = path("typed") / (c.family + "-" + gguf::ggmlTypeTraits(c.type).name);
            fs::create_directories(folder);
            model::exportGguf(imported(c.family), folder / "model.gguf", c.type,
                              specialTokens(imported(c.family)));
            QJsonObject expected = readJson(m_built / c.family / "expected.json");
            QFile ids(QString::fromStdString((folder / "ids.json").string()));
            QVERIFY(ids.open(QIODevice::WriteOnly));
            ids.write(QJsonDocument(expected["ids"].toArray()).toJson());
            for (const char* file : {"model.gguf", "ids.json", "scored.json"})
                arguments << QString::fromStdString((folder / file).string());
            folders.push_back(folder);
        }
        QString error = runPython(arguments);
        QVERIFY2(error.isEmpty(), qPrintable(error));

        for (size_t i = 0; i < folders.size(); ++i) {
            QJsonObject expected = readJson(m_built / cases[i].family / "expected.json");
            model::importGguf(folders[i] / "model.gguf", folders[i] / "reimported");
            torch::Tensor ours =
                strataLogProbs(folders[i] / "reimported", expected["ids"].toArray());
            torch::Tensor theirs =
                logProbsOf(readJson(folders[i] / "scored.json")["logprobs"].toArray());
            double difference = maxDifference(ours, theirs);
            double moved = maxDifference(ours, logProbsOf(expected["logprobs"].toArray()));
            QString row = QString::fromStdString(folders[i].filename().string());
            qInfo(
                "%s: transformers reading the export differs by %.3g; the type moves the "
                "log-probabilities by up to %.3g",
                qPrintable(row), difference, moved);
            QVERIFY2(difference < kLogProbTolerance,
                     qPrintable(row + ": " + QString::number(difference)));
        }
    }

    void refusesWhatLlamaCppCannotRun_data() {
        QTest::addColumn<QString>("family");
        QTest::addColumn<QString>("before");
        QTest::addColumn<QString>("after");
        QTest::addColumn<QString>("error");
        QTest::newRow("unnormalized top-k")
            << "qwen3_moe"
            << "normalize_top_k = true"
            << "normalize_top_k = false"
            << "llama.cpp's qwen3moe architecture cannot run this model: llama.cpp always "
               "renormalizes the chosen experts' weights (norm_topk_prob must be true)";
        QTest::newRow("sliding window")
            << "mixtral"
            << "sliding_window = 0"
            << "sliding_window = 16"
            << "llama.cpp's llama architecture cannot run this model: its attention has a "
               "sliding window";
    }
    void refusesWhatLlamaCppCannotRun() {
        QFETCH(QString, family);
        QFETCH(QString, before);
        QFETCH(QString, after);
        QFETCH(QString, error);
        fs::path edited = path("edited") / family.toStdString();
        fs::create_directories(edited.parent_path());
        fs::copy(imported(family.toStdString()), edited);
        replaceInFile(edited / model::kModelConfigFile, before, after);
        fs::path output = path("refused.gguf");
        QString message =
            errorOf([&] { model::exportGguf(edited, output, gguf::GgmlType::F16, {}); });
        QVERIFY2(message.endsWith(error), qPrintable(message));
        QVERIFY(!fs::exists(output));
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
        QTest::newRow("query rows")
            << "rows.gguf"
            << "tensor 'blk.0.attn_q.weight' has 3 rows, not a whole number of "
               "rotary head pairs (2 heads)";
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
        } else if (file == "rows.gguf") {
            // A llama whose query projection has rows no head layout can hold.
            std::vector<std::string> bytes;
            for (int byte = 0; byte < 256; ++byte) {
                bytes.emplace_back();
                tokenizer::appendByteLevel(bytes.back(), std::string(1, char(byte)));
            }
            test::GgufBytes gguf;
            gguf.header(1, 12)
                .keyString("general.architecture", "llama")
                .keyU32("llama.block_count", 1)
                .keyU32("llama.context_length", 16)
                .keyU32("llama.embedding_length", 8)
                .keyU32("llama.feed_forward_length", 16)
                .keyU32("llama.attention.head_count", 2)
                .keyF32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .keyU32("llama.vocab_size", 256)
                .keyString("tokenizer.ggml.model", "gpt2")
                .keyString("tokenizer.ggml.pre", "gpt-2")
                .keyStrings("tokenizer.ggml.tokens", bytes)
                .keyStrings("tokenizer.ggml.merges", {})
                .tensor("blk.0.attn_q.weight", {8, 3}, 0, 0)
                .align()
                .floats(std::vector<float>(24));
            std::ofstream(input, std::ios::binary) << gguf.bytes();
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
