// A workspace of another host in the studio: a real sshd on 127.0.0.1 and the saved target that
// reaches it (its key and ssh options). The window's Labeling page labels the host's queue as
// the SSH login and shows the guidelines the owner wrote there; the other pages say they work on
// a workspace of this machine. When the host goes away, the annotator labels the pairs in hand,
// the status bar says how many labels are kept here, and once the host is back they all arrive
// once. A text that is not such an address is refused in the main window's banner.
#include "core/common/login_name.h"
#include "core/common/workspace_paths.h"
#include "core/store/label_store.h"
#include "tests/core/proto/ssh_server.h"
#include "ui/labeling/labeling_page.h"
#include "ui/main_window.h"
#include "ui/remote_workspace_window.h"
#include "ui/targets/saved_targets.h"

#include <QLabel>
#include <QLineEdit>
#include <QTextBrowser>
#include <QtTest>

using namespace strata;

class TestRemoteWorkspaceWindow : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    SshServer m_ssh;

    std::string workspace() const { return m_dir.filePath("host-ws").toStdString(); }
    QString url() const {
        return QString("ssh://127.0.0.1:%1%2").arg(m_ssh.port()).arg(m_dir.filePath("host-ws"));
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("XDG_DATA_HOME", m_dir.filePath("data").toUtf8());
        QVERIFY2(m_ssh.started(), qPrintable(m_ssh.log()));
        std::filesystem::create_directories(workspace());
        store::LabelStore host(common::historyFile(workspace()));
        std::vector<store::PreferencePair> pairs;
        for (int i = 1; i <= 30; ++i)
            pairs.push_back({0, "question " + std::to_string(i), "yes", "no"});
        host.addPairs(pairs, "owner");
        host.configureQueue({"owner", 1, 600, "Prefer **yes** when unsure."}, "owner");
        // The host as the targets dialog saves it: its key and ssh options.
        ui::saveTargets({{"lab", m_ssh.target(STRATA_CLI, workspace())}});
    }

    void labelsGoToTheHostAsTheLogin() {
        ui::RemoteWorkspaceWindow window(ui::resolveRemoteWorkspace(url()));
        ui::LabelingPage* page = window.labelingPage();
        QCOMPARE(page->findChild<QLineEdit*>("annotator")->text().toStdString(),
                 common::loginName());
        QVERIFY(page->findChild<QLineEdit*>("annotator")->isReadOnly());
        QVERIFY(page->findChild<QTextBrowser*>("guidelines")->toPlainText().contains("Prefer yes"));
        QCOMPARE(window.findChildren<QLabel*>("remoteNotYet").size(), 7);
        for (int i = 0; i < 3; ++i) {
            QVERIFY(page->currentPairId() > 0);
            page->give(ui::LabelingPage::Verdict::Left);
        }
        store::LabelStore host(common::historyFile(workspace()));
        QCOMPARE(host.labels(common::loginName()).size(), size_t(3));
        QVERIFY2(window.connectionText().startsWith("Connected to ssh://127.0.0.1:"),
                 qPrintable(window.connectionText()));
    }

    void labelsGivenOfflineArriveWhenTheHostIsBack() {
        ui::RemoteWorkspaceWindow window(ui::resolveRemoteWorkspace(url()));
        ui::LabelingPage* page = window.labelingPage();
        QVERIFY(page->currentPairId() > 0);
        m_ssh.stop();
        for (pid_t client : SshServer::clientsOfThisProcess())
            ::kill(client, SIGKILL);
        for (int i = 0; i < 5; ++i) {
            QVERIFY(page->currentPairId() > 0);
            page->give(ui::LabelingPage::Verdict::Right);
        }
        QTRY_VERIFY2(window.connectionText().contains("5 label(s) kept here"),
                     qPrintable(window.connectionText()));
        QVERIFY(page->findChild<QLabel*>("progress")->text().contains("5 label(s) kept here"));
        QVERIFY(m_ssh.start());
        window.retryHost();
        QVERIFY2(window.connectionText().startsWith("Connected"),
                 qPrintable(window.connectionText()));
        store::LabelStore host(common::historyFile(workspace()));
        QCOMPARE(host.labels(common::loginName()).size(), size_t(8));
    }

    void aTextThatIsNoAddressIsRefused() {
        ui::MainWindow main(STRATA_CLI);
        QVERIFY(!main.openRemoteWorkspace("ssh://127.0.0.1"));
        QVERIFY(main.openRemoteWorkspace(url()));
    }
};

QTEST_MAIN(TestRemoteWorkspaceWindow)
#include "tst_remote_workspace_window.moc"
