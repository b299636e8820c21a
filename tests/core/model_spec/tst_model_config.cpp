// The model config: defaults documented and read back, and every impossible shape reported at
// once with its file:line and key.
#include "core/common/config_reader.h"
#include "core/common/error.h"
#include "core/model_spec/model_config.h"

#include <QtTest>

using strata::common::ConfigReader;
using namespace strata::model_spec;

namespace {

std::string errorOf(std::string_view toml) {
    auto reader = ConfigReader::fromString(toml, "m.toml");
    try {
        readModelConfig(reader);
    } catch (const strata::common::Error& error) {
        return error.what();
    }
    return {};
}

}  // namespace

class TestModelConfig : public QObject {
    Q_OBJECT

private slots:
    void defaultTextReadsBackAsDefaults() {
        auto reader = ConfigReader::fromString(defaultModelConfigText(), "default.toml");
        QVERIFY(readModelConfig(reader) == ModelConfig{});
        reader.finish();  // the text names no key the reader does not know
    }

    void readsEveryTable() {
        auto reader = ConfigReader::fromString(R"([model]
d_model = 512
num_dense_layers = 2
[model.attention]
kind = "mla"
num_heads = 4
q_lora_rank = 64
[model.moe]
num_routed_experts = 16
top_k = 4
scoring = "sigmoid"
bias_update_speed = 0.001
)",
                                               "m.toml");
        ModelConfig config = readModelConfig(reader);
        reader.finish();
        QCOMPARE(config.dModel, 512);
        QVERIFY(config.attention.kind == AttentionKind::Mla);
        QCOMPARE(config.attention.qLoraRank, 64);
        QVERIFY(config.moe.scoring == RouterScoring::Sigmoid);
        QCOMPARE(config.moe.topK, 4);
        QCOMPARE(config.moe.biasUpdateSpeed, 0.001);
        QVERIFY(!config.isMoeLayer(1) && config.isMoeLayer(2));
    }

    void derivedSizes() {
        ModelConfig config{.dModel = 384, .attention = {.numHeads = 6}};
        QCOMPARE(config.resolvedHeadDim(), 64);
        QCOMPARE(config.resolvedExpertHiddenSize(), 384);
        QCOMPARE(config.resolvedDenseHiddenSize(), 1024);  // 4 * 384 * 2 / 3 = 1024
        config.dModel = 100;
        QCOMPARE(config.resolvedDenseHiddenSize(), 320);  // 266 rounded up to a multiple of 64
    }

    void impossibleShapesAreNamed_data() {
        QTest::addColumn<QString>("toml");
        QTest::addColumn<QString>("message");
        QTest::newRow("heads do not divide d_model")
            << "[model]\nd_model = 100\n[model.attention]\nnum_heads = 8\n"
            << "m.toml:4: key 'model.attention.num_heads' must be a divisor of model.d_model when "
               "head_dim is 0";
        QTest::newRow("kv heads") << "[model.attention]\nnum_kv_heads = 3\n"
                                  << "m.toml:2: key 'model.attention.num_kv_heads' must be a "
                                     "divisor of model.attention.num_heads";
        QTest::newRow("top-k above experts")
            << "[model.moe]\nnum_routed_experts = 4\ntop_k = 5\n"
            << "m.toml:3: key 'model.moe.top_k' must be between 1 and model.moe.num_routed_experts";
        QTest::newRow("unknown kind")
            << "[model.attention]\nkind = \"linear\"\n"
            << "m.toml:2: key 'model.attention.kind' must be \"gqa\" or \"mla\"";
        QTest::newRow("wrong type") << "[model]\nd_model = \"big\"\n"
                                    << "m.toml:2: key 'model.d_model' must be an integer";
        QTest::newRow("odd rope dim")
            << "[model.attention]\nkind = \"mla\"\nqk_rope_head_dim = 7\n"
            << "m.toml:3: key 'model.attention.qk_rope_head_dim' must be even and between 2 and "
               "65536";
    }
    void impossibleShapesAreNamed() {
        QFETCH(QString, toml);
        QFETCH(QString, message);
        QCOMPARE(QString::fromStdString(errorOf(toml.toStdString())), message);
    }

    void everyProblemIsListed() {
        std::string message = errorOf("[model]\nvocab_size = 0\nnum_layers = 0\n");
        QVERIFY2(message.find("model.vocab_size") != std::string::npos &&
                     message.find("model.num_layers") != std::string::npos &&
                     message.find("; ") != std::string::npos,
                 message.c_str());
    }

    void denseModelIgnoresMoeKeys() {
        // A dense model (every layer dense) has no MoE block to validate.
        QCOMPARE(QString::fromStdString(errorOf(
                     "[model]\nnum_layers = 2\nnum_dense_layers = 2\n[model.moe]\ntop_k = 99\n")),
                 QString());
    }
};

QTEST_APPLESS_MAIN(TestModelConfig)
#include "tst_model_config.moc"
