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
};

QTEST_MAIN(TestModelPage)
#include "tst_model_page.moc"
