// File ▸ Import Model…: the dialog runs `strata-cli import SRC -o WORKSPACE/models/NAME` (a
// stand-in records it), names the model after its source until the name is edited, refuses what
// cannot be imported before running anything, shows the command's one-line error, and says
// where the model went when it is done.
#include "tests/ui/common/stub_cli.h"
#include "ui/model/import_model_dialog.h"

#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace strata;

class TestImportModelDialog : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::filesystem::path path(const char* name) { return m_tmp.filePath(name).toStdString(); }

private slots:
    void namesComeFromTheSource() {
        QCOMPARE(ui::ImportModelDialog::nameFor("/dl/SmolLM2-135M-Instruct.Q4_1.gguf"),
                 QString("smollm2-135m-instruct.q4_1"));
        QCOMPARE(ui::ImportModelDialog::nameFor("/hf/Qwen3 0.6B/"), QString("qwen3-0.6b"));
    }

    void runsTheImportIntoModels() {
        std::filesystem::create_directories(path("hf/smol"));
        test::StubCli cli(m_tmp.path().toStdString(), "imported: models/smol (llama)");
        ui::ImportModelDialog dialog(cli.script, path("workspace"));
        QSignalSpy imported(&dialog, &ui::ImportModelDialog::imported);
        dialog.setSource(m_tmp.filePath("hf/smol"));
        QCOMPARE(dialog.findChild<QLineEdit*>("name")->text(), QString("smol"));
        dialog.setName("tiny-llama");
        QVERIFY(dialog.startImport());
        QVERIFY(dialog.running());
        QVERIFY(dialog.findChild<QProgressBar*>("progress")->isVisibleTo(&dialog));
        QVERIFY(!dialog.findChild<QPushButton*>("actionButton")->isEnabled());
        QTRY_COMPARE(imported.size(), 1);
        const QString target = QString::fromStdString(path("workspace/models/tiny-llama"));
        QCOMPARE(imported[0][0].toString(), target);
        QCOMPARE(cli.recorded(), QStringList({"import", m_tmp.filePath("hf/smol"), "-o", target}));
        QVERIFY2(dialog.messageText().contains(target), qPrintable(dialog.messageText()));
        QVERIFY(dialog.findChild<QPushButton*>("actionButton")->isEnabled());
        QVERIFY(!dialog.findChild<QProgressBar*>("progress")->isVisibleTo(&dialog));
    }

    void theCommandsErrorIsShown() {
        std::ofstream(path("bad.gguf")) << "GGUF";
        test::StubCli cli(m_tmp.path().toStdString(),
                          "error: bad.gguf: tensor blk.0.attn_q.weight has unknown type 99", 1);
        ui::ImportModelDialog dialog(cli.script, path("workspace"));
        QSignalSpy imported(&dialog, &ui::ImportModelDialog::imported);
        dialog.setSource(m_tmp.filePath("bad.gguf"));
        QCOMPARE(dialog.findChild<QLineEdit*>("name")->text(), QString("bad"));
        QVERIFY(dialog.startImport());
        QTRY_VERIFY(!dialog.running());
        QVERIFY2(dialog.messageText().contains("unknown type 99"),
                 qPrintable(dialog.messageText()));
        QCOMPARE(imported.size(), 0);
    }

    void whatCannotBeImportedIsRefusedFirst() {
        test::StubCli cli(m_tmp.path().toStdString(), "");
        ui::ImportModelDialog dialog(cli.script, path("workspace"));
        QVERIFY(!dialog.startImport());
        QVERIFY2(dialog.messageText().contains("Choose"), qPrintable(dialog.messageText()));
        dialog.setSource(m_tmp.filePath("missing.gguf"));
        QVERIFY(!dialog.startImport());
        QVERIFY2(dialog.messageText().contains("no such"), qPrintable(dialog.messageText()));
        std::ofstream(path("notes.txt")) << "x";
        dialog.setSource(m_tmp.filePath("notes.txt"));
        QVERIFY(!dialog.startImport());
        QVERIFY2(dialog.messageText().contains(".gguf"), qPrintable(dialog.messageText()));
        std::ofstream(path("ok.gguf")) << "GGUF";
        dialog.setSource(m_tmp.filePath("ok.gguf"));
        dialog.setName("../escape");
        QVERIFY(!dialog.startImport());
        QVERIFY2(dialog.messageText().contains("cannot name a folder"),
                 qPrintable(dialog.messageText()));
        QVERIFY(cli.recorded().isEmpty());  // nothing ran
    }
};

QTEST_MAIN(TestImportModelDialog)
#include "tst_import_model_dialog.moc"
