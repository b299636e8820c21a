// Export…: the dialog runs `strata-cli export` (a stand-in records it) for a Hugging Face folder
// or a GGUF file of the chosen type, into WORKSPACE/exports/<name> unless told otherwise, says
// where the GGUF's Modelfile went, and shows the command's one-line error.
#include "tests/ui/common/stub_cli.h"
#include "ui/common/export_model_dialog.h"

#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace strata;

class TestExportModelDialog : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::filesystem::path path(const char* name) { return m_tmp.filePath(name).toStdString(); }

private slots:
    void exportsAHuggingFaceFolder() {
        test::StubCli cli(m_tmp.path().toStdString(), "exports/tiny: LlamaForCausalLM");
        ui::ExportModelDialog dialog(cli.script, path("workspace"), "/runs/tiny/step-1", "tiny");
        QSignalSpy exported(&dialog, &ui::ExportModelDialog::exported);
        const QString folder = m_tmp.filePath("workspace/exports/tiny");
        QCOMPARE(dialog.destination(), folder);
        QVERIFY(!dialog.findChild<QComboBox*>("type")->isEnabled());  // GGUF only
        QVERIFY(dialog.startExport());
        QTRY_COMPARE(exported.size(), 1);
        QCOMPARE(cli.recorded(),
                 QStringList({"export", "--checkpoint", "/runs/tiny/step-1", "-o", folder}));
        QVERIFY2(dialog.messageText().contains("Hugging Face folder " + folder),
                 qPrintable(dialog.messageText()));
    }

    void exportsAGgufFileWithItsModelfile() {
        test::StubCli cli(m_tmp.path().toStdString(), "tiny.gguf: GGUF of the llama architecture");
        ui::ExportModelDialog dialog(cli.script, path("workspace"), "/models/smol", "smol");
        dialog.setFormat("gguf");
        QVERIFY(dialog.findChild<QComboBox*>("type")->isEnabled());
        QCOMPARE(dialog.destination(), m_tmp.filePath("workspace/exports/smol.gguf"));
        dialog.setType("q8_0");
        const QString file = m_tmp.filePath("out/smol-q8.gguf");
        dialog.setDestination(file);
        QVERIFY(dialog.startExport());
        QTRY_VERIFY(!dialog.running());
        QCOMPARE(cli.recorded(), QStringList({"export", "--checkpoint", "/models/smol", "--format",
                                              "gguf", "--type", "q8_0", "-o", file}));
        // The folder it goes in is made for it.
        QVERIFY(QFileInfo(m_tmp.filePath("out")).isDir());
        QVERIFY2(dialog.messageText().contains(m_tmp.filePath("out/Modelfile")),
                 qPrintable(dialog.messageText()));
        // Back to a folder: the name loses its .gguf.
        dialog.setFormat("hf");
        QCOMPARE(dialog.destination(), m_tmp.filePath("out/smol-q8"));
    }

    void errorsAreShown() {
        test::StubCli cli(m_tmp.path().toStdString(),
                          "error: llama.cpp has no architecture for multi-head latent attention",
                          1);
        ui::ExportModelDialog dialog(cli.script, path("workspace"), "/runs/mla/step-1", "mla");
        QSignalSpy exported(&dialog, &ui::ExportModelDialog::exported);
        dialog.setFormat("gguf");
        dialog.setDestination(m_tmp.filePath("mla.bin"));
        QVERIFY(!dialog.startExport());  // not a .gguf name
        QVERIFY2(dialog.messageText().contains(".gguf"), qPrintable(dialog.messageText()));
        dialog.setDestination(m_tmp.filePath("mla.gguf"));
        QVERIFY(dialog.startExport());
        QTRY_VERIFY(!dialog.running());
        QVERIFY2(dialog.messageText().contains("multi-head latent attention"),
                 qPrintable(dialog.messageText()));
        QCOMPARE(exported.size(), 0);
    }
};

QTEST_MAIN(TestExportModelDialog)
#include "tst_export_model_dialog.moc"
