// strata-cli export and import as a user runs them: a model folder exported as Hugging Face's
// DeepseekV3 or Mixtral layout and imported back has the same tensors bit for bit; a missing
// checkpoint, a model the layout cannot hold and a corrupt config.json are one-line errors
// naming the folder, key or file, and leave no output behind.
#include "cli_runner.h"
#include "core/model/model_folder.h"

#include <torch/torch.h>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace strata::model;
namespace fs = std::filesystem;

namespace {

strata::model_spec::ModelConfig deepseekConfig(int vocabSize) {
    return {.vocabSize = vocabSize,
            .dModel = 32,
            .numLayers = 2,
            .contextLength = 32,
            .numDenseLayers = 1,
            .attention = {.kind = strata::model_spec::AttentionKind::Mla,
                          .numHeads = 2,
                          .qLoraRank = 16,
                          .kvLoraRank = 16,
                          .qkNopeHeadDim = 8,
                          .qkRopeHeadDim = 4,
                          .vHeadDim = 8},
            .moe = {.numRoutedExperts = 4,
                    .numSharedExperts = 1,
                    .topK = 2,
                    .expertHiddenSize = 16,
                    .scoring = strata::model_spec::RouterScoring::Sigmoid}};
}

strata::model_spec::ModelConfig mixtralConfig(int vocabSize) {
    return {
        .vocabSize = vocabSize,
        .dModel = 32,
        .numLayers = 2,
        .contextLength = 32,
        .numDenseLayers = 0,
        .attention = {.numHeads = 4, .numKvHeads = 2, .slidingWindow = 8},
        .moe = {.numRoutedExperts = 4, .numSharedExperts = 0, .topK = 2, .expertHiddenSize = 16}};
}

QJsonObject readJson(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

}  // namespace

class TestCliHf : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_vocabSize = 0;

    QString path(const QString& name) const { return m_dir.path() + "/" + name; }
    fs::path fsPath(const QString& name) const { return fs::path(path(name).toStdString()); }

    void writeModelFolder(const QString& name, const strata::model_spec::ModelConfig& config) {
        torch::manual_seed(7);
        Transformer model(config);
        fs::create_directories(fsPath(name));
        writeModelFiles(fsPath(name), config, model, fsPath("tokenizer.json"));
    }

    void expectError(const QStringList& args, const QString& message) {
        CliRun run = runCli(args);
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.lastErrorLine(), "strata-cli " + args[0] + ": error: " + message);
    }

    // A copy of the export `from` whose config.json is `configText`.
    QString folderWithConfig(const QString& name, const QString& from,
                             const QByteArray& configText) {
        fs::create_directories(fsPath(name));
        for (const char* file : {"model.safetensors", "tokenizer.json"})
            fs::copy_file(fsPath(from) / file, fsPath(name) / file,
                          fs::copy_options::overwrite_existing);
        writeFile(path(name + "/config.json"), configText);
        return path(name);
    }

    void compareWeights(const QString& a, const QString& b) {
        auto left = loadSafetensors(fsPath(a) / kModelWeightsFile).tensors;
        auto right = loadSafetensors(fsPath(b) / kModelWeightsFile).tensors;
        QCOMPARE(left.size(), right.size());
        for (const auto& [name, tensor] : left) {
            QVERIFY2(right.contains(name), name.c_str());
            QVERIFY2(torch::equal(right.at(name), tensor), name.c_str());
        }
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QByteArray corpus;
        for (int i = 0; i < 300; ++i)
            corpus += QJsonDocument(QJsonObject{{"text", QString("Model %1 goes to Hugging Face "
                                                                 "and back, %2 times.")
                                                             .arg(i)
                                                             .arg(i % 7)}})
                          .toJson(QJsonDocument::Compact) +
                      "\n";
        QVERIFY(writeFile(path("corpus.jsonl"), corpus));
        CliRun train = runCli({"tokenizer", "train", path("corpus.jsonl"), "-o",
                               path("tokenizer.json"), "--vocab-size", "300"});
        QVERIFY2(train.exitCode == 0, qPrintable(train.err));
        m_vocabSize =
            readJson(path("tokenizer.json"))["model"].toObject()["vocab"].toObject().size();
        QVERIFY(m_vocabSize > 256);

        writeModelFolder("deepseek", deepseekConfig(m_vocabSize));
        writeModelFolder("mixtral", mixtralConfig(m_vocabSize));
        strata::model_spec::ModelConfig windowed = deepseekConfig(m_vocabSize);
        windowed.attention.slidingWindow = 16;
        writeModelFolder("windowed", windowed);
    }

    void exportThenImportGivesBackTheModel_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("architecture");
        QTest::newRow("mla") << "deepseek"
                             << "DeepseekV3ForCausalLM";
        QTest::newRow("gqa") << "mixtral"
                             << "MixtralForCausalLM";
    }
    void exportThenImportGivesBackTheModel() {
        QFETCH(QString, name);
        QFETCH(QString, architecture);
        CliRun exported = runCli({"export", "--checkpoint", path(name), "-o", path(name + "-hf")});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        QVERIFY2(exported.err.contains(architecture), qPrintable(exported.err));
        QJsonObject config = readJson(path(name + "-hf/config.json"));
        QCOMPARE(config["architectures"].toArray().first().toString(), architecture);
        QCOMPARE(config["vocab_size"].toInt(), m_vocabSize);
        QJsonObject tokenizerConfig = readJson(path(name + "-hf/tokenizer_config.json"));
        QCOMPARE(tokenizerConfig["eos_token"].toString(), QString("<|eos|>"));
        QVERIFY(config["eos_token_id"].toInt() > 0);

        CliRun imported = runCli({"import", path(name + "-hf"), "-o", path(name + "-back")});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        QVERIFY2(imported.err.contains(architecture), qPrintable(imported.err));
        compareWeights(name, name + "-back");
    }

    // A model designed here goes out as GGUF (MLA as llama.cpp's deepseek2) with its tokenizer,
    // and comes back bit for bit; a Modelfile stops Ollama at the end-of-text token. The windowed
    // GQA model is refused: llama.cpp's llama architecture has no sliding window.
    void ggufExportThenImportGivesBackTheModel() {
        const QString name = "deepseek";
        QVERIFY(QDir().mkpath(path(name + "-gguf")));
        QString file = path(name + "-gguf/model.gguf");
        CliRun exported = runCli({"export", "--checkpoint", path(name), "--format", "gguf",
                                  "--type", "f32", "-o", file});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        QFile modelfileFile(path(name + "-gguf/Modelfile"));
        QVERIFY(modelfileFile.open(QIODevice::ReadOnly));
        QString modelfile = QString::fromUtf8(modelfileFile.readAll());
        QVERIFY2(modelfile.contains("\nFROM ./model.gguf\n") &&
                     modelfile.contains("PARAMETER stop \"<|eos|>\""),
                 qPrintable(modelfile));

        CliRun imported = runCli({"import", file, "-o", path(name + "-from-gguf")});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        compareWeights(name, name + "-from-gguf");
        QCOMPARE(readJson(path(name + "-from-gguf/tokenizer_config.json"))["eos_token"].toString(),
                 QString("<|eos|>"));

        expectError({"export", "--checkpoint", path("mixtral"), "--format", "gguf", "-o",
                     path("mixtral.gguf")},
                    path("mixtral") +
                        "/model.toml: llama.cpp's llama architecture cannot run this model: its "
                        "attention has a sliding window");
        QVERIFY(!QFile::exists(path("mixtral.gguf")));
    }

    void exportReplacesAnEarlierExport() {
        CliRun first = runCli({"export", "--checkpoint", path("mixtral"), "-o", path("again")});
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        CliRun second = runCli({"export", "--checkpoint", path("mixtral"), "-o", path("again")});
        QVERIFY2(second.exitCode == 0, qPrintable(second.err));
        QVERIFY(QFile::exists(path("again/model.safetensors")));
        QCOMPARE(QDir(m_dir.path()).entryList({"again*"}, QDir::AllEntries).size(), 1);
    }

    // An imported model's generation_config.json sets generate's defaults, as in transformers;
    // flags override them.
    void generateStartsFromTheGenerationConfig() {
        CliRun exported =
            runCli({"export", "--checkpoint", path("mixtral"), "-o", path("sampled-hf")});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        CliRun imported = runCli({"import", path("sampled-hf"), "-o", path("sampled")});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        auto generate = [&](const QStringList& flags) {
            CliRun run = runCli(QStringList{"generate", "--checkpoint", path("sampled"), "--prompt",
                                            "Model 3 goes", "--seed", "5"} +
                                flags);
            if (run.exitCode != 0) qWarning("%s", qPrintable(run.err));
            return run;
        };
        const QString configFile = path("sampled/generation_config.json");

        QVERIFY(writeFile(configFile, R"({"max_new_tokens": 5, "num_beams": 3})"));
        CliRun greedyByDefault = generate({});
        QCOMPARE(greedyByDefault.out, generate({"--temperature", "0", "--repetition-penalty", "1",
                                                "--max-new-tokens", "5"})
                                          .out);
        QVERIFY2(greedyByDefault.err.contains("generation_config.json asks for num_beams"),
                 qPrintable(greedyByDefault.err));

        QVERIFY(writeFile(configFile, R"({"do_sample": true, "temperature": 1.5, "top_k": 40,
                                          "top_p": 0.9, "max_new_tokens": 12})"));
        CliRun sampled = generate({});
        QCOMPARE(sampled.out, generate({"--temperature", "1.5", "--top-k", "40", "--top-p", "0.9",
                                        "--repetition-penalty", "1", "--max-new-tokens", "12"})
                                  .out);
        CliRun greedy = generate({"--temperature", "0"});
        QVERIFY(sampled.out != greedy.out);
        QCOMPARE(greedy.out, generate({"--temperature", "0", "--top-k", "40", "--top-p", "0.9",
                                       "--repetition-penalty", "1", "--max-new-tokens", "12"})
                                 .out);

        QVERIFY(writeFile(configFile, R"({"top_p": "high"})"));
        expectError({"generate", "--checkpoint", path("sampled"), "--prompt", "Model"},
                    configFile + ": key 'top_p' must be a number");
    }

    void refusesBadRequests() {
        expectError({"export", "-o", path("out")}, "--checkpoint is required (see --help)");
        expectError({"export", "--checkpoint", path("deepseek")},
                    "-o/--output is required (see --help)");
        expectError({"export", "--checkpoint", path("missing"), "-o", path("out")},
                    path("missing") + ": no such model folder");
        expectError({"export", "--checkpoint", path("tokenizer.json"), "-o", path("out")},
                    path("tokenizer.json") + ": no such model folder");
        QVERIFY(QDir().mkpath(path("empty")));
        expectError({"export", "--checkpoint", path("empty"), "-o", path("out")},
                    path("empty") + ": not a model folder (tokenizer.json is missing)");
        expectError({"import", path("missing"), "-o", path("out")},
                    path("missing") + ": no such folder or GGUF file");
        expectError(
            {"export", "--checkpoint", path("deepseek"), "--format", "onnx", "-o", path("out")},
            "--format is 'onnx'; it is hf or gguf");
        expectError(
            {"export", "--checkpoint", path("deepseek"), "--type", "q8_0", "-o", path("out")},
            "--type is for --format gguf");
        expectError({"export", "--checkpoint", path("deepseek"), "--format", "gguf", "--type",
                     "q4_k", "-o", path("out.gguf")},
                    "--type is 'q4_k'; it is f16, bf16, q8_0 or f32");
        expectError(
            {"export", "--checkpoint", path("deepseek"), "--format", "gguf", "-o", path("out")},
            path("out") + ": a GGUF file's name ends in .gguf");
        QVERIFY(!QFile::exists(path("out.gguf")));
        expectError({"import", path("deepseek"), "-o", path("out")},
                    path("deepseek") +
                        "/config.json: no such file (a Hugging Face model folder "
                        "has a config.json)");
        QVERIFY(!QFile::exists(path("out")));
    }

    void refusesWhatTheLayoutCannotHold() {
        expectError({"export", "--checkpoint", path("windowed"), "-o", path("windowed-hf")},
                    path("windowed") +
                        "/model.toml: model.attention.sliding_window = 16 has no DeepseekV3 "
                        "equivalent: DeepseekV3 attends to every earlier token");
        QVERIFY(!QFile::exists(path("windowed-hf")));
        QCOMPARE(QDir(m_dir.path()).entryList({"windowed-hf*"}, QDir::AllEntries).size(), 0);
    }

    void refusesCorruptConfigJson() {
        CliRun exported = runCli({"export", "--checkpoint", path("mixtral"), "-o", path("good")});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        QJsonObject config = readJson(path("good/config.json"));

        config["hidden_size"] = "wide";
        QString folder = folderWithConfig("wrong-type", "good", QJsonDocument(config).toJson());
        expectError({"import", folder, "-o", path("out")},
                    folder + "/config.json: key 'hidden_size' must be a positive integer");

        config.remove("hidden_size");
        folder = folderWithConfig("missing-key", "good", QJsonDocument(config).toJson());
        expectError({"import", folder, "-o", path("out")},
                    folder + "/config.json: key 'hidden_size' is missing");

        folder = folderWithConfig("truncated", "good", "{\"model_type\": \"mixtral\",");
        CliRun run = runCli({"import", folder, "-o", path("out")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.lastErrorLine().startsWith("strata-cli import: error: " + folder +
                                                "/config.json: not valid JSON"),
                 qPrintable(run.err));
        QVERIFY(!QFile::exists(path("out")));
    }

    void neverReplacesAnotherKindOfFolder() {
        QVERIFY(QDir().mkpath(path("notes")));
        QVERIFY(writeFile(path("notes/todo.txt"), "keep me"));
        expectError({"import", path("deepseek-hf"), "-o", path("notes")},
                    path("notes") +
                        ": exists and is not a Strata model folder (it has no "
                        "model.toml); choose a new or empty folder");
        expectError({"export", "--checkpoint", path("deepseek"), "-o", path("notes")},
                    path("notes") +
                        ": exists and is not a Hugging Face model folder (it has no "
                        "config.json); choose a new or empty folder");
        QVERIFY(QFile::exists(path("notes/todo.txt")));
    }

    void helpDescribesBothCommands() {
        CliRun exportHelp = runCli({"export", "--help"});
        QCOMPARE(exportHelp.exitCode, 0);
        QVERIFY(exportHelp.out.contains("usage: strata-cli export --checkpoint DIR -o HF_DIR"));
        QVERIFY(exportHelp.out.contains("DeepseekV3ForCausalLM"));
        CliRun importHelp = runCli({"import", "--help"});
        QCOMPARE(importHelp.exitCode, 0);
        QVERIFY(importHelp.out.contains("usage: strata-cli import HF_DIR|MODEL.gguf -o DIR"));
        QVERIFY(exportHelp.out.contains("--format gguf"));
    }
};

QTEST_APPLESS_MAIN(TestCliHf)
#include "tst_cli_hf.moc"
