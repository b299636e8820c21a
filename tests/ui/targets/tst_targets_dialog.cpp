// The targets dialog: "Test connection" on this machine starts the real worker and shows its
// hello (version, LibTorch, CPUs, the cpu device); on a host nobody answers it shows ssh's own
// error instead of hanging; a host ssh would take for an option is refused; remote targets are
// saved in the settings (with the address other hosts reach them by, and a Slurm login host's
// sbatch options, checked) and found by name, one or several.
#include "ui/targets/saved_targets.h"
#include "ui/targets/targets_dialog.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace strata;

namespace {

// A port nothing listens on: bound, then released.
int closedPort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

}  // namespace

class TestTargetsDialog : public QObject {
    Q_OBJECT

    QTemporaryDir m_workspace;

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        ui::saveTargets({});
    }

    void thisMachineAnswersWithItsHello() {
        ui::TargetsDialog dialog(STRATA_CLI, m_workspace.path().toStdString());
        QSignalSpy tested(&dialog, &ui::TargetsDialog::connectionTested);
        dialog.findChild<QPushButton*>("testConnection")->click();
        QVERIFY(tested.wait(60000));
        QVERIFY2(tested.first().first().toBool(), qPrintable(dialog.resultText()));
        QString hello = dialog.resultText();
        QVERIFY2(hello.startsWith("Strata " STRATA_VERSION ", LibTorch 2."), qPrintable(hello));
        QVERIFY2(hello.contains("devices: cpu"), qPrintable(hello));
    }

    void anUnreachableHostIsReportedNotAwaited() {
        ui::TargetsDialog dialog(STRATA_CLI, m_workspace.path().toStdString());
        dialog.findChild<QPushButton*>("addTarget")->click();
        auto* name = dialog.findChild<QLineEdit*>("targetName");
        auto* host = dialog.findChild<QLineEdit*>("targetHost");
        name->setText("nowhere");
        // A host ssh would read as an option is refused, naming it; the target keeps its host.
        host->setText("-oProxyCommand=touch /tmp/x");
        emit host->editingFinished();
        QVERIFY2(dialog.resultText().contains("is not a host name"),
                 qPrintable(dialog.resultText()));
        QCOMPARE(ui::loadTargets()[0].target.host, std::string("user@host"));
        host->setText("nobody@127.0.0.1");
        dialog.findChild<QSpinBox*>("targetPort")->setValue(closedPort());
        emit host->editingFinished();
        auto* masterAddress = dialog.findChild<QLineEdit*>("targetMasterAddress");
        masterAddress->setText("10.0.0.7");
        emit masterAddress->editingFinished();
        // ssh -o options: KEY=VALUE only, never another flag.
        auto* sshOptions = dialog.findChild<QLineEdit*>("targetSshOptions");
        sshOptions->setText("ConnectTimeout=5 -F/etc/evil");
        emit sshOptions->editingFinished();
        QVERIFY2(dialog.resultText().contains("\"-F/etc/evil\" is not KEY=VALUE"),
                 qPrintable(dialog.resultText()));
        sshOptions->setText("ConnectTimeout=5  ServerAliveInterval=10");
        emit sshOptions->editingFinished();
        // A Slurm login host: its runs are batch jobs with the sbatch options given, never
        // with one Strata sets itself.
        dialog.findChild<QCheckBox*>("targetSlurm")->setChecked(true);
        auto* sbatchOptions = dialog.findChild<QLineEdit*>("targetSbatchOptions");
        sbatchOptions->setText("--partition=gpu --output=/tmp/x");
        emit sbatchOptions->editingFinished();
        QVERIFY2(dialog.resultText().contains("--output is set by Strata"),
                 qPrintable(dialog.resultText()));
        sbatchOptions->setText("--partition=gpu  --time=1:00:00");
        emit sbatchOptions->editingFinished();
        QSignalSpy tested(&dialog, &ui::TargetsDialog::connectionTested);
        dialog.findChild<QPushButton*>("testConnection")->click();
        QVERIFY(tested.wait(60000));
        QVERIFY(!tested.first().first().toBool());
        QVERIFY2(dialog.resultText().contains("Connection refused"),
                 qPrintable(dialog.resultText()));

        // Saved: a new dialog lists it, and the Train page's name resolves to it.
        QList<ui::SavedTarget> saved = ui::loadTargets();
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved[0].name, QString("nowhere"));
        std::filesystem::path workspace = m_workspace.path().toStdString();
        proto::WorkerTarget target = ui::resolveTarget("nowhere", STRATA_CLI, workspace);
        QCOMPARE(target.host, std::string("nobody@127.0.0.1"));
        QCOMPARE(target.port, saved[0].target.port);
        QCOMPARE(target.masterAddress, std::string("10.0.0.7"));
        QCOMPARE(target.sshOptions,
                 (std::vector<std::string>{"ConnectTimeout=5", "ServerAliveInterval=10"}));
        QVERIFY(target.slurm);
        QCOMPARE(target.name(), "slurm://nobody@127.0.0.1:" + std::to_string(target.port));
        QCOMPARE(target.sbatchOptions,
                 (std::vector<std::string>{"--partition=gpu", "--time=1:00:00"}));
        // Several, separated by commas: one run across those hosts, in that order.
        std::vector<proto::WorkerTarget> hosts =
            ui::resolveTargets("nowhere, local", STRATA_CLI, workspace);
        QCOMPARE(hosts.size(), size_t(2));
        QCOMPARE(hosts[0].host, target.host);
        QVERIFY(hosts[1].isLocal());
        // A saved target is found by its ssh address too (what the history records of a run).
        QCOMPARE(
            ui::resolveTarget(QString::fromStdString(target.name()), STRATA_CLI, workspace).host,
            target.host);
        proto::WorkerTarget local = ui::resolveTarget("local", STRATA_CLI, workspace);
        QVERIFY(local.isLocal());
        QCOMPARE(local.cli, std::string(STRATA_CLI));
        QCOMPARE(local.workspace, workspace.string());
        ui::TargetsDialog again(STRATA_CLI, m_workspace.path().toStdString());
        QCOMPARE(again.findChild<QListWidget*>("targetList")->count(), 2);
        ui::saveTargets({});
    }
};

QTEST_MAIN(TestTargetsDialog)
#include "tst_targets_dialog.moc"
