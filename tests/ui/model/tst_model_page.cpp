// The Model page: its costs follow every edit and equal the cost model's for the same config;
// an impossible shape is reported by key instead of costed; a config saved from the form loads
// back the same, and a bad file is reported.
#include "core/common/human_units.h"
#include "core/model_spec/model_size.h"
#include "ui/model/model_page.h"

#include <QComboBox>
#include <QLabel>
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
};

QTEST_MAIN(TestModelPage)
#include "tst_model_page.moc"
