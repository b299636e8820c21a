// ConfigForm: one editor per key with the key's comment as tooltip, values in and out in display
// form, a table's `enabled` box greying out the rest of its group, and sizes in units.
#include "widgets/config_form.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QtTest>

using namespace strata;

class TestConfigForm : public QObject {
    Q_OBJECT

private slots:
    void editorsFollowTheSchema() {
        widgets::ConfigForm form(common::describeConfig(
            "[stage]\n# Whether it runs.\nenabled = false\n# The floor.\nmin = 5\n"
            "[names]\nallowed = [\"a\", \"b\"]\n"));
        auto* enabled = qobject_cast<QCheckBox*>(form.editor("stage.enabled"));
        auto* min = qobject_cast<QLineEdit*>(form.editor("stage.min"));
        QVERIFY(enabled && min);
        QCOMPARE(min->toolTip(), QString("The floor."));
        QCOMPARE(min->text(), QString("5"));
        QVERIFY(!enabled->isChecked());
        QVERIFY(!min->isEnabled());  // its stage is off
        QSignalSpy changed(&form, &widgets::ConfigForm::changed);
        enabled->setChecked(true);
        QVERIFY(min->isEnabled());
        QCOMPARE(changed.count(), 1);

        form.setValues({{"stage.min", "9"}, {"names.allowed", "c"}});
        common::ConfigValues values = form.values();
        QCOMPARE(values.at("stage.min"), std::string("9"));
        QCOMPARE(values.at("stage.enabled"), std::string("true"));
        QCOMPARE(values.at("names.allowed"), std::string("c"));
        QCOMPARE(form.editor("stage.missing"), nullptr);
    }

    void sizesShowAndTakeUnits() {
        widgets::ConfigForm form(common::describeConfig(
            "[input]\nmax_document_bytes = 67108864\nodd_bytes = 1536\ncount = 1048576\n"));
        auto* size = qobject_cast<QLineEdit*>(form.editor("input.max_document_bytes"));
        QCOMPARE(size->text(), QString("64 MiB"));
        QVERIFY(size->toolTip().contains("MiB"));
        QCOMPARE(qobject_cast<QLineEdit*>(form.editor("input.odd_bytes"))->text(),
                 QString("1536 B"));
        // Only sizes: another large number stays as it is.
        QCOMPARE(qobject_cast<QLineEdit*>(form.editor("input.count"))->text(), QString("1048576"));
        QCOMPARE(form.values().at("input.max_document_bytes"), std::string("67108864"));

        size->setText("1.5 GiB");
        QCOMPARE(form.values().at("input.max_document_bytes"), std::string("1610612736"));
        size->setText("2 MB");
        QCOMPARE(form.values().at("input.max_document_bytes"), std::string("2000000"));
        // Text that is no size goes to the config as typed, for its validation to name.
        size->setText("lots");
        QCOMPARE(form.values().at("input.max_document_bytes"), std::string("lots"));
    }
};

QTEST_MAIN(TestConfigForm)
#include "tst_config_form.moc"
