// The main window's workspace handling: an empty folder opens as a workspace with its pages and
// no error; a database from a newer Strata, a file that is not a database, and a folder that
// cannot be made are each reported in the window's banner while the open workspace stays.
#include "core/common/workspace_paths.h"
#include "core/store/database.h"
#include "ui/main_window.h"

#include <QFile>
#include <QListWidget>
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
        ui::MainWindow window;
        window.show();
        QVERIFY(window.openWorkspace(folder("empty")));
        QVERIFY(window.errorText().isEmpty());
        QVERIFY(std::filesystem::exists(folder("empty") / "strata.db"));
        QCOMPARE(window.findChild<QListWidget*>("pageList")->count(), 4);
        QVERIFY(window.windowTitle().contains("empty"));
    }

    void unopenableWorkspacesAreReported() {
        ui::MainWindow window;
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
        QCOMPARE(window.findChild<QListWidget*>("pageList")->count(), 4);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
