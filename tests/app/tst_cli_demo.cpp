// `strata-cli demo data` and `demo pretrain` (what `make run` runs) end to end into a temporary
// workspace: the funnel, the tokenizer and the shards must all be there and consistent, the
// cleaned text free of terminal escapes, and a (shortened) sample pretraining run must leave its
// run folder and report its perplexity; the dataset, tokenizer and run are in the workspace's run
// history. `demo init` imports the sample's real model once (the real SmolLM2-135M-Instruct when
// scripts/bootstrap's reference folder is set up, else skipped) and says in one line how to get
// it when it is missing; `demo finetune` goes import → LoRA SFT → GRPO with exact match after each
// stage, here on a tiny random Llama given as --model and a few steps a stage.
#include "cli_runner.h"
#include "core/cleaning/document_reader.h"
#include "core/model/model_folder.h"
#include "core/store/run_history.h"
#include "resources/sample/sample_configs.h"
#include "tests/tiny_data.h"

#include <torch/torch.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace fs = std::filesystem;

namespace {

QJsonObject readJson(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

const QString kSampleModel = "/models/smollm2-135m-instruct";

// A tiny random Llama with the tiny tokenizer (and its chat template's role tokens) as a Hugging
// Face folder in `dir`/tiny-llama-hf, exported by strata-cli as a user would; empty on failure.
QString writeTinyLlama(const QString& dir) {
    const fs::path root = dir.toStdString();
    tiny::writeData(root, 200);
    strata::model_spec::ModelConfig config{.vocabSize = tiny::kVocabSize,
                                           .dModel = 32,
                                           .numLayers = 2,
                                           .contextLength = 256,
                                           .tiedEmbeddings = true,
                                           .numDenseLayers = 2,
                                           .denseHiddenSize = 64,
                                           .attention = {.numHeads = 4, .numKvHeads = 2}};
    config.family = strata::model_spec::ModelFamily::Llama;
    torch::manual_seed(3);
    strata::model::Transformer model(config);
    fs::create_directories(root / "tiny-llama");
    strata::model::writeModelFiles(root / "tiny-llama", config, model, root / "tokenizer.json");
    CliRun exported =
        runCli({"export", "--checkpoint", dir + "/tiny-llama", "-o", dir + "/tiny-llama-hf"});
    if (exported.exitCode != 0) {
        qWarning("%s", qPrintable(exported.err));
        return {};
    }
    return dir + "/tiny-llama-hf";
}

// The held-out exact match `demo align` and `demo finetune` print after `stage`; -1 when absent.
double exactMatchAfter(const QString& out, const QString& stage) {
    QRegularExpression line("^exact match after " + stage + ": ([0-9.]+)%$",
                            QRegularExpression::MultilineOption);
    QRegularExpressionMatch match = line.match(out);
    return match.hasMatch() ? match.captured(1).toDouble() : -1.0;
}

}  // namespace

class TestCliDemo : public QObject {
    Q_OBJECT

private slots:
    void samplePipelineProducesEveryArtifact() {
        QTemporaryDir workspace;
        CliRun run = runCli({"demo", "data", "--workspace", workspace.path(), "-j", "2"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err.right(3000)));
        QVERIFY2(run.lastErrorLine().startsWith("sample data pipeline done"),
                 qPrintable(run.lastErrorLine()));
        QVERIFY(run.err.contains("bytes per token"));

        QJsonObject funnel = readJson(workspace.path() + "/datasets/sample/funnel.json");
        QVERIFY2(!funnel.isEmpty(), "funnel.json missing or not JSON");
        QJsonObject tokenizer = readJson(workspace.path() + "/tokenizers/sample/tokenizer.json");
        QCOMPARE(tokenizer["model"].toObject()["type"].toString(), QString("BPE"));
        QCOMPARE(tokenizer["model"].toObject()["vocab"].toObject().size(), 8192);
        QJsonObject manifest = readJson(workspace.path() + "/datasets/sample/shards/manifest.json");
        QJsonObject report = manifest["report"].toObject();
        QVERIFY(report["train"].toObject()["tokens"].toInteger() > 1000000);
        QVERIFY(report["validation"].toObject()["documents"].toInt() > 0);
        // Both languages of the sample survive cleaning and reach the tokenizer.
        QVERIFY(QFile::exists(workspace.path() + "/datasets/sample/clean.jsonl.zst"));
        // fortunes-zh is coloured throughout: the cleaning removes its escapes, whole. What stays
        // is text that quotes one (printf "\x1b[31m", the caret form ^[[32m).
        QVERIFY(funnel["terminal_escapes"].toObject()["sequences"].toInteger() > 1000);
        QRegularExpression leftoverEscape("\x1b|(?<!\\^\\[|x1b)\\[[0-9;]+m");
        QVERIFY(leftoverEscape.isValid());
        strata::cleaning::DocumentReader cleaned(
            {(workspace.path() + "/datasets/sample/clean.jsonl.zst").toStdString()}, {});
        strata::cleaning::Document document;
        uint64_t documents = 0;
        while (cleaned.next(document)) {
            QString text = QString::fromStdString(document.text);
            QVERIFY2(!leftoverEscape.match(text).hasMatch(), qPrintable(text));
            ++documents;
        }
        QCOMPARE(documents, uint64_t(funnel["output"].toObject()["documents"].toInteger()));
        // What the studio's Data page opens: the sources of the sample dataset.
        QFile sources(workspace.path() + "/datasets/sample/sources.txt");
        QVERIFY(sources.open(QIODevice::ReadOnly));
        QVERIFY(sources.readAll().contains("fortunes.jsonl"));
        CliRun encode = runCli({"tokenizer", "encode", "--tokenizer",
                                workspace.path() + "/tokenizers/sample/tokenizer.json",
                                QString::fromUtf8("作者")});
        QCOMPARE(encode.exitCode, 0);
        QCOMPARE(encode.out.trimmed().split(' ').size(), 1);

        // The dataset and tokenizer are in the workspace's run history.
        {
            strata::store::RunHistory runs((workspace.path() + "/strata.db").toStdString());
            std::vector<strata::store::DatasetRecord> datasets = runs.datasets();
            QCOMPARE(datasets.size(), size_t(1));
            QCOMPARE(datasets[0].path, std::string("datasets/sample/shards"));
            QCOMPARE(datasets[0].fingerprint.size(), size_t(16));
            QVERIFY(datasets[0].statsJson.find("\"train\"") != std::string::npos);
            QCOMPARE(runs.tokenizers().size(), size_t(1));
            QVERIFY(runs.tokenizers()[0].statsJson.find("8192") != std::string::npos);
        }

        CliRun pretrain = runCli({"demo", "pretrain", "--workspace", workspace.path(), "--set",
                                  "train.max_steps=4", "--set", "train.eval_every=2", "--set",
                                  "train.eval_batches=1", "--set", "train.micro_batch_size=4"});
        QVERIFY2(pretrain.exitCode == 0, qPrintable(pretrain.err.right(3000)));
        QRegularExpression summary("^validation perplexity: ([0-9.]+) -> ([0-9.]+)$");
        QRegularExpressionMatch match = summary.match(pretrain.lastErrorLine());
        QVERIFY2(match.hasMatch(), qPrintable(pretrain.lastErrorLine()));
        QVERIFY(match.captured(2).toDouble() < match.captured(1).toDouble());
        QVERIFY(pretrain.err.contains("$ strata-cli generate --checkpoint"));
        QVERIFY(QFile::exists(workspace.path() + "/configs/pretrain.toml"));
        QStringList runFolders =
            QDir(workspace.path() + "/runs").entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(runFolders.size(), 1);
        QString runDir = workspace.path() + "/runs/" + runFolders[0];
        QVERIFY(QFile::exists(runDir + "/run.toml"));
        QVERIFY(QFile::exists(runDir + "/events.jsonl"));
        QVERIFY(QFile::exists(runDir + "/checkpoints/step-0000004/model.safetensors"));
        // It ran through a worker into the run history.
        strata::store::RunHistory history((workspace.path() + "/strata.db").toStdString());
        std::vector<strata::store::RunRecord> recorded = history.listRuns();
        QCOMPARE(recorded.size(), size_t(1));
        QCOMPARE(recorded[0].name, runFolders[0].toStdString());
        QCOMPARE(recorded[0].state, strata::store::RunState::Completed);
        QCOMPARE(recorded[0].lastStep, 4);
    }

    void finetuneGoesThroughEveryStageOfTheImportedModel() {
        QTemporaryDir dir;
        QString source = writeTinyLlama(dir.path());
        QVERIFY(!source.isEmpty());
        const QString workspace = dir.path() + "/workspace";
        CliRun init = runCli({"demo", "init", "--workspace", workspace, "--model", source});
        QVERIFY2(init.exitCode == 0, qPrintable(init.err.right(3000)));
        QVERIFY(
            init.err.contains("$ strata-cli import " + source + " -o " + workspace + kSampleModel));
        QVERIFY(QFile::exists(workspace + kSampleModel + "/model.toml"));
        QVERIFY(QFile::exists(workspace + "/configs/finetune_sft.toml"));
        QVERIFY(QFile::exists(workspace + "/configs/finetune_grpo.toml"));

        // Shortened: two steps a stage, small batches; the stages' own keys stay as shipped.
        const QStringList shortened{
            "--set", "train.max_steps=2",    "--set", "train.eval_every=2",
            "--set", "train.eval_batches=1", "--set", "train.micro_batch_size=2",
            "--set", "checkpoint.every=2"};
        CliRun finetune = runCli(
            QStringList{"demo", "finetune", "--workspace", workspace, "-j", "1"} + shortened);
        QVERIFY2(finetune.exitCode == 0, qPrintable(finetune.err.right(3000)));
        // The model was kept, not imported again.
        QVERIFY(!finetune.err.contains("$ strata-cli import"));
        for (const char* stage : {"import", "sft", "grpo"}) {
            double share = exactMatchAfter(finetune.out, stage);
            QVERIFY2(share >= 0 && share <= 100, qPrintable(stage + (": " + finetune.out)));
        }
        QVERIFY2(finetune.lastErrorLine().startsWith(
                     "sample fine-tuning of SmolLM2-135M-Instruct done in "),
                 qPrintable(finetune.lastErrorLine()));
        QVERIFY(finetune.err.contains("--limit 200"));

        // Both stages trained LoRA adapters and ran through a worker into the run history.
        strata::store::RunHistory history((workspace + "/strata.db").toStdString());
        std::vector<strata::store::RunRecord> runs = history.listRuns();
        QCOMPARE(runs.size(), size_t(2));
        for (const strata::store::RunRecord& run : runs) {
            QCOMPARE(run.state, strata::store::RunState::Completed);
            QVERIFY2(fs::exists(fs::path(run.runDir) / "checkpoints" / "step-0000002" /
                                "lora.safetensors"),
                     run.runDir.c_str());
        }
        QCOMPARE(runs[0].stage, std::string("grpo"));
        QCOMPARE(runs[1].stage, std::string("sft"));
    }

    void initImportsTheRealModelOnce() {
        // What `make run` imports: the build's default source, scripts/bootstrap's GGUF file.
        const fs::path source = strata::resources::sampleModelSource();
        if (source.empty() || !fs::exists(source))
            QSKIP(
                "the SmolLM2 reference folder is not set up: run scripts/bootstrap and configure "
                "with its answer (make configure)");
        QTemporaryDir workspace;
        CliRun init = runCli({"demo", "init", "--workspace", workspace.path()});
        QVERIFY2(init.exitCode == 0, qPrintable(init.err.right(3000)));
        QVERIFY2(init.err.contains("30 layers, d_model 576, vocabulary 49152"),
                 qPrintable(init.err));
        const fs::path model = workspace.path().toStdString() + kSampleModel.toStdString();
        QCOMPARE(strata::model::readModelFolderConfig(model).family,
                 strata::model_spec::ModelFamily::Llama);
        QVERIFY(fs::exists(model / "tokenizer_config.json"));  // the chat template came along

        auto modified = fs::last_write_time(model / "model.safetensors");
        CliRun again = runCli({"demo", "init", "--workspace", workspace.path()});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QVERIFY(!again.err.contains("$ strata-cli import"));
        QCOMPARE(again.lastErrorLine(), "sample model: SmolLM2-135M-Instruct in " +
                                            QString::fromStdString(model.string()));
        QVERIFY(fs::last_write_time(model / "model.safetensors") == modified);
    }

    void missingModelIsOneLineThatSaysHowToGetIt() {
        QTemporaryDir workspace;
        const QString missing = workspace.path() + "/nowhere/smollm2.gguf";
        const QString expected =
            "the real model SmolLM2-135M-Instruct is missing (" + missing +
            " does not exist): run `make` (scripts/bootstrap fetches it), or name its Hugging "
            "Face folder or .gguf file with --model or STRATA_SAMPLE_MODEL";
        // init still prepares the workspace, and says so in one line.
        CliRun init = runCli({"demo", "init", "--workspace", workspace.path(), "--model", missing});
        QCOMPARE(init.exitCode, 0);
        QCOMPARE(init.lastErrorLine(), "sample model: " + expected);
        QVERIFY(QFile::exists(workspace.path() + "/configs/finetune_sft.toml"));
        QVERIFY(!QFile::exists(workspace.path() + kSampleModel));
        // finetune needs it: the same line as its error.
        CliRun finetune =
            runCli({"demo", "finetune", "--workspace", workspace.path(), "--model", missing});
        QCOMPARE(finetune.exitCode, 1);
        QCOMPARE(finetune.lastErrorLine(), "strata-cli demo: error: " + expected);
    }

    void unknownPipelineIsAnError() {
        CliRun run = runCli({"demo", "everything"});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.lastErrorLine(),
                 QString("strata-cli demo: error: unknown pipeline 'everything' (available: init, "
                         "data, pretrain, align, finetune)"));
    }
};

QTEST_APPLESS_MAIN(TestCliDemo)
#include "tst_cli_demo.moc"
