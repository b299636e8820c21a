// The main window's workspace handling: an empty folder opens as a workspace with its pages and
// no error; a database from a newer Strata, a file that is not a database, and a folder that
// cannot be made are each reported in the window's banner while the open workspace stays;
// quitting while a run trains asks, and cancel keeps the window while stop stops the run.
#include "core/common/workspace_paths.h"
#include "core/store/database.h"
#include "tests/core/proto/tiny_workspace.h"
#include "ui/main_window.h"
#include "ui/train/train_page.h"

#include <QApplication>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>

#include <QFile>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QtTest>

using namespace strata;

class TestMainWindow : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::filesystem::path folder(const char* name) { return m_tmp.filePath(name).toStdString(); }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void emptyFolderOpensAsAWorkspace() {
        ui::MainWindow window(STRATA_CLI);
        window.show();
        QVERIFY(window.openWorkspace(folder("empty")));
        QVERIFY(window.errorText().isEmpty());
        QVERIFY(std::filesystem::exists(folder("empty") / "strata.db"));
        auto* pages = window.findChild<QListWidget*>("pageList");
        QCOMPARE(pages->count(), 7);
        for (int row = 0; row < pages->count(); ++row) {  // each page opens on nothing
            pages->setCurrentRow(row);
            QCoreApplication::processEvents();
            QVERIFY2(window.errorText().isEmpty(), qPrintable(pages->item(row)->text()));
        }
        QVERIFY(window.windowTitle().contains("empty"));
        // The studio's log: in the console and in the workspace's rotating file.
        QVERIFY(window.findChild<QPlainTextEdit*>("studioLog")
                    ->toPlainText()
                    .contains("opened the workspace"));
        QFile log(QString::fromStdString((folder("empty") / "logs" / "studio.log").string()));
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY(log.readAll().contains("opened the workspace"));
    }

    void unopenableWorkspacesAreReported() {
        ui::MainWindow window(STRATA_CLI);
        window.show();
        QVERIFY(window.openWorkspace(folder("good")));

        std::filesystem::create_directories(folder("v999"));
        {
            store::Database db(common::historyFile(folder("v999")));
            db.setUserVersion(999);
        }
        QVERIFY(!window.openWorkspace(folder("v999")));
        QVERIFY2(window.errorText().contains("newer"), qPrintable(window.errorText()));

        std::filesystem::create_directories(folder("junk"));
        QFile corrupt(QString::fromStdString(common::historyFile(folder("junk")).string()));
        QVERIFY(corrupt.open(QIODevice::WriteOnly));
        corrupt.write(QByteArray(8192, 'x'));
        corrupt.close();
        QVERIFY(!window.openWorkspace(folder("junk")));
        QVERIFY2(window.errorText().contains("not a database"), qPrintable(window.errorText()));

        QFile blocker(m_tmp.filePath("file"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QVERIFY(!window.openWorkspace(folder("file") / "below"));
        QVERIFY(!window.errorText().isEmpty());

        QCOMPARE(window.workspace(), folder("good"));  // still open
        QCOMPARE(window.findChild<QListWidget*>("pageList")->count(), 7);
    }

    void quittingWithAnActiveRunAsks() {
        TinyWorkspace workspace;
        workspace.writeConfig("long.toml", 1000000, 1000);

        ui::MainWindow window(STRATA_CLI);
        window.show();
        QVERIFY(window.openWorkspace(workspace.root));
        auto* train = window.findChild<ui::TrainPage*>();
        train->findChild<QLineEdit*>("configPath")
            ->setText(QString::fromStdString((workspace.root / "long.toml").string()));
        train->startRun();
        store::RunHistory history(workspace.root / "strata.db");
        auto state = [&] {
            return train->runId() == 0 ? store::RunState::Created
                                       : history.run(train->runId()).state;
        };
        QTRY_COMPARE_WITH_TIMEOUT(state(), store::RunState::Running, 60000);

        // Answers the question the window asks when it is closed.
        auto answer = [](QMessageBox::StandardButton standard, const char* custom) {
            QTimer::singleShot(100, [=] {
                for (QWidget* widget : QApplication::topLevelWidgets())
                    if (auto* box = qobject_cast<QMessageBox*>(widget);
                        box && box->objectName() == "quitQuestion")
                        (custom ? box->findChild<QPushButton*>(custom) : box->button(standard))
                            ->click();
            });
        };
        answer(QMessageBox::Cancel, nullptr);
        QVERIFY(!window.close());
        QVERIFY(window.isVisible());
        QCOMPARE(state(), store::RunState::Running);

        answer(QMessageBox::NoButton, "stop");
        QVERIFY(window.close());
        QTRY_COMPARE_WITH_TIMEOUT(state(), store::RunState::Stopped, 60000);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
