// The Model page: its costs follow every edit and equal the cost model's for the same config;
// an impossible shape is reported by key instead of costed; a config saved from the form loads
// back the same, and a bad file is reported.
#include "core/common/human_units.h"
#include "core/model_spec/model_size.h"
#include "ui/model/model_page.h"

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace strata;

class TestModelPage : public QObject {
    Q_OBJECT

private slots:
    void costsFollowTheForm() {
        ui::ModelPage page;
        auto* costs = page.findChild<QLabel*>("costs");
        QVERIFY(costs->text().contains("Parameters"));
        QString before = costs->text();
        page.findChild<QSpinBox*>("d_model")->setValue(512);
        QVERIFY(costs->text() != before);
        model_spec::ModelConfig expected;
        expected.dModel = 512;
        QVERIFY(page.config());
        QCOMPARE(model_spec::countParameters(*page.config()).total(),
                 model_spec::countParameters(expected).total());
        QString total = QString::fromStdString(
            common::humanCount(double(model_spec::countParameters(expected).total())));
        QVERIFY2(costs->text().contains(total + " total"), qPrintable(costs->text()));

        page.findChild<QComboBox*>("attention")->setCurrentIndex(1);  // MLA
        QCOMPARE(page.config()->attention.kind, model_spec::AttentionKind::Mla);
        QVERIFY(!page.findChild<QSpinBox*>("num_kv_heads")->isEnabled());
    }

    void impossibleShapesAreNamed() {
        ui::ModelPage page;
        page.findChild<QSpinBox*>("num_heads")->setValue(7);  // 256 is not a multiple of 7
        QVERIFY(!page.config());
        QString errors = page.findChild<QLabel*>("errors")->text();
        QVERIFY2(errors.contains("num_heads"), qPrintable(errors));
        QVERIFY(page.findChild<QLabel*>("costs")->text().isEmpty());
        page.findChild<QSpinBox*>("num_heads")->setValue(8);
        QVERIFY(page.config());
        QVERIFY(page.findChild<QLabel*>("errors")->text().isEmpty());
    }

    void savedConfigsLoadBack() {
        QTemporaryDir dir;
        ui::ModelPage page;
        page.findChild<QSpinBox*>("num_layers")->setValue(12);
        page.findChild<QSpinBox*>("top_k")->setValue(4);
        QString path = dir.filePath("model.toml");
        QVERIFY(page.saveFile(path));
        ui::ModelPage other;
        QVERIFY(other.loadFile(path));
        QCOMPARE(other.config(), page.config());
        QCOMPARE(other.findChild<QSpinBox*>("num_layers")->value(), 12);

        std::ofstream(dir.filePath("bad.toml").toStdString()) << "[model]\nd_model = \"wide\"\n";
        QVERIFY(!other.loadFile(dir.filePath("bad.toml")));
        QString errors = other.findChild<QLabel*>("errors")->text();
        QVERIFY2(errors.contains("bad.toml") && errors.contains("d_model"), qPrintable(errors));
        QCOMPARE(other.config(), page.config());  // the form keeps what it had
    }

    // An open model's config.json loads as import reads it: its family is named, the settings
    // the form has no field for are kept, and LoRA is costed beside full training.
    void huggingFaceConfigLoadsWithItsFamily() {
        QTemporaryDir dir;
        std::ofstream(dir.filePath("config.json").toStdString()) << R"({
            "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_act": "silu",
            "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
            "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 1000,
            "max_position_embeddings": 256, "rope_theta": 1000000.0,
            "tie_word_embeddings": true})";
        ui::ModelPage page;
        QVERIFY(page.loadFile(dir.filePath("config.json")));
        QVERIFY(page.config());
        QCOMPARE(page.config()->family, model_spec::ModelFamily::Qwen2);
        QVERIFY(page.config()->attention.qkvBias);
        QCOMPARE(page.findChild<QSpinBox*>("d_model")->value(), 64);
        QString costs = page.findChild<QLabel*>("costs")->text();
        QVERIFY2(costs.contains("Qwen2, as imported"), qPrintable(costs));
        page.findChild<QSpinBox*>("lora_rank")->setValue(4);
        costs = page.findChild<QLabel*>("costs")->text();
        QString adapters = QString::fromStdString(
            common::humanCount(double(model_spec::countLoraParameters(*page.config(), 4))));
        QVERIFY2(costs.contains("rank 4, " + adapters + " adapter parameters"), qPrintable(costs));

        std::ofstream(dir.filePath("config.json").toStdString()) << R"({"model_type": "gpt2"})";
        QVERIFY(!page.loadFile(dir.filePath("config.json")));
        QString errors = page.findChild<QLabel*>("errors")->text();
        QVERIFY2(errors.contains("model_type"), qPrintable(errors));
    }

    // The workspace's models are listed above the form; one is shown read-only with its
    // architecture (family, layers, attention, MoE) and the same costs, and can be fine-tuned.
    void workspaceModelsShowReadOnly() {
        QTemporaryDir dir;
        const std::filesystem::path workspace = dir.path().toStdString();
        model_spec::ModelConfig llama;
        llama.family = model_spec::ModelFamily::Llama;
        llama.numDenseLayers = llama.numLayers;  // dense, as imported Llamas are
        llama.attention.numHeads = 8;
        llama.attention.numKvHeads = 2;
        std::filesystem::create_directories(workspace / "models" / "smol");
        std::ofstream((workspace / "models" / "smol" / "model.toml").string())
            << model_spec::modelConfigText(llama);
        ui::ModelPage page(workspace);
        auto* models = page.findChild<QComboBox*>("workspaceModel");
        QCOMPARE(models->count(), 2);  // the design, then models/smol
        QCOMPARE(models->itemText(1), QString("models/smol"));
        auto* fineTune = page.findChild<QPushButton*>("fineTune");
        QVERIFY(!fineTune->isEnabled());  // nothing to fine-tune in a design
        QVERIFY(!fineTune->isHidden() && !page.findChild<QPushButton*>("importModel")->isHidden());
        ui::ModelPage formOnly;  // no workspace: no models/ to import into or fine-tune from
        QVERIFY(formOnly.findChild<QPushButton*>("fineTune")->isHidden());
        QVERIFY(formOnly.findChild<QPushButton*>("importModel")->isHidden());

        const QString folder = QString::fromStdString((workspace / "models" / "smol").string());
        QVERIFY(page.showModel(folder));
        QCOMPARE(page.shownModel(), folder);
        QCOMPARE(models->currentIndex(), 1);
        QCOMPARE(page.config()->attention.numKvHeads, 2);
        QVERIFY(page.findChild<QSpinBox*>("d_model")->isReadOnly());
        QVERIFY(!page.findChild<QComboBox*>("attention")->isEnabled());
        const QString architecture = page.findChild<QLabel*>("architecture")->text();
        QVERIFY2(architecture.contains("Llama") && architecture.contains("all dense") &&
                     architecture.contains("grouped-query (GQA), 8 heads, 2 key/value heads, "
                                           "head dim 32") &&
                     architecture.contains("none (a dense model)"),
                 qPrintable(architecture));
        // Its costs, LoRA included, in human units.
        const QString costs = page.findChild<QLabel*>("costs")->text();
        QVERIFY2(costs.contains("With LoRA") && costs.contains("iB"), qPrintable(costs));
        QSignalSpy asked(&page, &ui::ModelPage::fineTuneRequested);
        QVERIFY(fineTune->isEnabled());
        fineTune->click();
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked[0][0].toString(), folder);

        // A MoE model with MLA says so.
        model_spec::ModelConfig moe;
        moe.attention.kind = model_spec::AttentionKind::Mla;
        QString moeText = ui::ModelPage::architectureText(moe);
        QVERIFY2(moeText.contains("multi-head latent (MLA)") &&
                     moeText.contains("3 MoE and 1 dense") &&
                     moeText.contains("8 routed experts and 1 shared, top-2"),
                 qPrintable(moeText));

        // Back to a design: editable again.
        QVERIFY(page.showModel({}));
        QVERIFY(!page.findChild<QSpinBox*>("d_model")->isReadOnly());
        QVERIFY(page.findChild<QLabel*>("architecture")->isHidden());
        // A folder that is not a model is said.
        QVERIFY(!page.showModel(dir.path()));
        QVERIFY2(page.findChild<QLabel*>("errors")->text().contains("not a model folder"),
                 qPrintable(page.findChild<QLabel*>("errors")->text()));
    }
};

QTEST_MAIN(TestModelPage)
#include "tst_model_page.moc"
