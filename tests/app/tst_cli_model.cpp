// strata-cli model as a user runs it: the default config documented and costed, and one-line
// errors naming the file, line or key for configs that cannot work.
#include "cli_runner.h"
#include "tests/core/gguf/gguf_bytes.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

class TestCliModel : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.path() + "/" + name; }

    void expectError(const QStringList& args, const QString& message) {
        CliRun run = runCli(QStringList{"model", "info"} + args);
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.lastErrorLine(), "strata-cli model: error: " + message);
    }

private slots:
    void initTestCase() {
        CliRun defaults = runCli({"model", "--print-default-config"});
        QCOMPARE(defaults.exitCode, 0);
        QVERIFY(writeFile(path("model.toml"), defaults.out.toUtf8()));
        QVERIFY(writeFile(path("typo.toml"), "[model]\nd_modle = 128\n"));
        QVERIFY(writeFile(path("shape.toml"), "[model.moe]\nnum_routed_experts = 2\ntop_k = 3\n"));
        QVERIFY(writeFile(path("run.toml"), "[model]\nnum_layers = 2\n[train]\nsteps = 10\n"));
        QVERIFY(QDir().mkpath(path("folder")));
        QVERIFY(writeFile(path("folder/model.toml"), defaults.out.toUtf8()));
        // SmolLM2-135M's config.json.
        QVERIFY(QDir().mkpath(path("smollm2")));
        QVERIFY(writeFile(path("smollm2/config.json"), R"({
            "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_act": "silu",
            "hidden_size": 576, "intermediate_size": 1536, "num_hidden_layers": 30,
            "num_attention_heads": 9, "num_key_value_heads": 3, "vocab_size": 49152,
            "max_position_embeddings": 8192, "rms_norm_eps": 1e-05, "rope_theta": 100000,
            "tie_word_embeddings": true, "bos_token_id": 1, "eos_token_id": 2})"));
        // The same model as llama.cpp's metadata says it, without tensors.
        strata::test::GgufBytes gguf;
        gguf.header(0, 11)
            .keyString("general.architecture", "llama")
            .keyU32("llama.block_count", 30)
            .keyU32("llama.context_length", 8192)
            .keyU32("llama.embedding_length", 576)
            .keyU32("llama.feed_forward_length", 1536)
            .keyU32("llama.attention.head_count", 9)
            .keyU32("llama.attention.head_count_kv", 3)
            .keyF32("llama.rope.freq_base", 100000)
            .keyF32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
            .keyU32("llama.vocab_size", 49152)
            .keyU32("llama.rope.dimension_count", 64);
        QVERIFY(writeFile(path("smollm2.gguf"), QByteArray::fromStdString(gguf.bytes())));
    }

    void costsTheDefaultModel() {
        CliRun run =
            runCli({"model", "info", path("model.toml"), "--batch", "4", "--seq-len", "256"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains("parameters: 11.1M total, 7.6M active per token"),
                 qPrintable(run.out));
        QVERIFY(run.out.contains("training FLOPs per token at 256 tokens"));
        QVERIFY(run.out.contains("training memory, batch 4 x 256"));
    }

    void costsAModelFolderAsItsConfig() {
        CliRun config = runCli({"model", "info", path("model.toml")});
        CliRun folder = runCli({"model", "info", path("folder")});
        QVERIFY2(folder.exitCode == 0, qPrintable(folder.err));
        QCOMPARE(folder.out, config.out);
    }

    void costsAHuggingFaceFolderWithLora() {
        CliRun run =
            runCli({"model", "info", path("smollm2"), "--batch", "4", "--lora-rank", "16"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.startsWith("Llama model, 30 layers: 30 dense; d_model 576, GQA with 9 "
                                    "heads, 3 key/value heads of 64; vocabulary 49152, context "
                                    "8192\n"),
                 qPrintable(run.out));
        QVERIFY2(run.out.contains("parameters: 134.5M total"), qPrintable(run.out));
        QVERIFY(run.out.contains("training memory, batch 4 x 2048 (fp32, CPU)"));
        QVERIFY2(run.out.contains(" with activation checkpointing); total "), qPrintable(run.out));
        // rank 16 x (q 1152 + k 768 + v 768 + o 1152 + 3 x (1536 + 576)) x 30 layers.
        QVERIFY2(run.out.contains("with LoRA rank 16 (4.9M adapter parameters)"),
                 qPrintable(run.out));
    }

    void costsAGgufFileAsItsHuggingFaceFolder() {
        CliRun folder = runCli({"model", "info", path("smollm2"), "--lora-rank", "16"});
        CliRun gguf = runCli({"model", "info", path("smollm2.gguf"), "--lora-rank", "16"});
        QVERIFY2(gguf.exitCode == 0, qPrintable(gguf.err));
        QCOMPARE(gguf.out, folder.out);
    }

    void otherTablesAreLeftToTheirCommands() {
        CliRun run = runCli({"model", "info", path("run.toml")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.startsWith("2 layers"));
    }

    void badConfigs() {
        expectError({path("typo.toml")},
                    path("typo.toml") + ":2: key 'model.d_modle' is not a known setting");
        expectError(
            {path("shape.toml")},
            path("shape.toml") +
                ":3: key 'model.moe.top_k' must be between 1 and model.moe.num_routed_experts");
        expectError({path("model.toml"), "--set", "model.attention.num_kv_heads=3"},
                    "--set key 'model.attention.num_kv_heads' must be a divisor of "
                    "model.attention.num_heads");
        expectError({path("model.toml"), "--seq-len", "100000"},
                    "--seq-len must be between 1 and model.context_length (512)");
        expectError({path("smollm2"), "--set", "model.num_layers=2"},
                    "--set takes a TOML config, not a model folder");
        expectError({path("smollm2"), "--lora-rank", "0"},
                    "--lora-rank must be between 1 and model.d_model (576)");
        QVERIFY(QDir().mkpath(path("empty")));
        expectError({path("empty")}, path("empty") +
                                         ": neither a model folder (model.toml) nor a Hugging "
                                         "Face folder (config.json)");
        expectError({path("missing.toml")},
                    path("missing.toml") + ": cannot read config: no such file");
    }
};

QTEST_APPLESS_MAIN(TestCliModel)
#include "tst_cli_model.moc"
