// Labels given while the workspace's host cannot be reached (a real sshd on 127.0.0.1, stopped
// and started again, its open connection killed): the desktop labels the 20 pairs it holds in
// hand, its labels survive a restart of the desktop, and when the host answers again all 20
// arrive once, in order, including one for a pair that meanwhile got its label from someone
// else. A kept label the host refuses is set aside with the reason; with no pair in hand, an
// unreachable host is a ConnectionLost that says so; and once away, the host is tried again only
// when asked to (sendKept), not on every label.
#include "core/common/workspace_paths.h"
#include "core/proto/offline_label_queue.h"
#include "core/proto/remote_label_queue.h"
#include "tests/core/proto/ssh_server.h"
#include "tests/error_of.h"

#include <QtTest>

#include <fstream>
#include <set>

using namespace strata;
namespace fs = std::filesystem;

class TestOfflineLabelQueue : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    SshServer m_ssh;

    std::string workspace() const { return m_dir.filePath("host-ws").toStdString(); }
    fs::path keptFile() const { return m_dir.filePath("kept/labels.db").toStdString(); }

    std::unique_ptr<proto::OfflineLabelQueue> desktop() {
        return std::make_unique<proto::OfflineLabelQueue>(
            std::make_unique<proto::RemoteLabelQueue>(m_ssh.target(STRATA_CLI, workspace())),
            keptFile());
    }

    // The host goes away: it stops listening and the open connection drops.
    void goOffline() {
        m_ssh.stop();
        for (pid_t client : SshServer::clientsOfThisProcess())
            ::kill(client, SIGKILL);
    }

private slots:
    void initTestCase() {
        QVERIFY2(m_ssh.started(), qPrintable(m_ssh.log()));
        fs::create_directories(workspace());
        std::vector<store::PreferencePair> pairs;
        for (int i = 1; i <= 50; ++i)
            pairs.push_back({0, "question " + std::to_string(i), "yes", "no"});
        store::LabelStore(common::historyFile(workspace())).addPairs(pairs, "owner");
    }

    void twentyLabelsGivenOfflineArriveOnce() {
        std::unique_ptr<proto::OfflineLabelQueue> queue = desktop();
        QCOMPARE(queue->claim("ana")->id, int64_t(1));  // online: 20 pairs now in hand
        goOffline();

        std::set<int64_t> labeled;
        for (int i = 0; i < 20; ++i) {
            std::optional<store::PreferencePair> pair = queue->claim("ana");
            QVERIFY(pair);
            QVERIFY(!queue->reachable());
            QVERIFY(labeled.insert(pair->id).second);
            store::LabelSubmission label{pair->id, "ana",
                                         i % 2 ? store::Choice::B : store::Choice::A,
                                         "offline " + std::to_string(i)};
            QVERIFY(queue->submit(label));
        }
        QCOMPARE(queue->unsent(), int64_t(20));
        QCOMPARE(*labeled.rbegin(), int64_t(20));
        QString error = errorOf([&] { queue->claim("ana"); });
        QVERIFY2(error.contains("no pairs are in hand to label meanwhile"), qPrintable(error));

        // The desktop restarts while offline: the labels are still there.
        queue = desktop();
        QCOMPARE(queue->unsent(), int64_t(20));
        // Meanwhile someone on the host labels pair 5, which now has its one label.
        store::LabelStore host(common::historyFile(workspace()));
        host.label(5, "bo", store::Choice::A);

        QVERIFY2(m_ssh.start(), qPrintable(m_ssh.log()));
        std::optional<store::PreferencePair> next = queue->claim("ana");
        QVERIFY(queue->reachable());
        QCOMPARE(queue->unsent(), int64_t(0));
        QCOMPARE(next->id, int64_t(21));
        std::vector<store::Label> anas = host.labels("ana");
        QCOMPARE(anas.size(), size_t(20));
        for (size_t i = 0; i < anas.size(); ++i) {
            QCOMPARE(anas[i].pairId, int64_t(i + 1));
            QCOMPARE(anas[i].rationale, "offline " + std::to_string(i));
        }
        QCOMPARE(host.labels("bo").size(), size_t(1));  // pair 5 has both, none dropped
        queue->sendKept();                              // nothing left: nothing sent twice
        QCOMPARE(host.labels().size(), size_t(21));
    }

    void aLabelTheHostRefusesIsSetAside() {
        std::unique_ptr<proto::OfflineLabelQueue> queue = desktop();
        QVERIFY(queue->submit({999, "ana", store::Choice::A}));
        QCOMPARE(queue->unsent(), int64_t(0));
        std::vector<std::string> refused = queue->refused();
        QCOMPARE(refused.size(), size_t(1));
        QVERIFY2(QString::fromStdString(refused[0]).contains("no preference pair with id 999"),
                 refused[0].c_str());
    }

    void withNothingInHandOfflineIsAnError() {
        std::unique_ptr<proto::OfflineLabelQueue> queue =
            std::make_unique<proto::OfflineLabelQueue>(
                std::make_unique<proto::RemoteLabelQueue>(m_ssh.target(STRATA_CLI, workspace())),
                m_dir.filePath("fresh/labels.db").toStdString());
        QCOMPARE(queue->identity(), queue->identity());  // known while online
        goOffline();
        QString error = errorOf([&] { queue->claim("cy"); });
        QVERIFY2(error.contains("ssh://127.0.0.1:") && error.contains("no pairs are in hand"),
                 qPrintable(error));
        QVERIFY(!queue->identity().empty());  // the last answer, kept
        // A script sending its label twice while the host is away: kept once.
        QVERIFY(queue->submit({40, "cy", store::Choice::B, {}, false, "cy-40"}));
        QVERIFY(!queue->submit({40, "cy", store::Choice::A, {}, false, "cy-40"}));
        QCOMPARE(queue->unsent(), int64_t(1));
        // Labeling never waits on the host while it is away: only sendKept() tries it again.
        QVERIFY(m_ssh.start());
        QVERIFY(!errorOf([&] { queue->claim("cy"); }).isEmpty());
        QVERIFY(!queue->reachable());
        queue->sendKept();
        QVERIFY(queue->reachable());
        QCOMPARE(queue->unsent(), int64_t(0));
        QVERIFY(store::LabelStore(common::historyFile(workspace())).labels("cy").at(0).choice ==
                store::Choice::B);
        QVERIFY(queue->claim("cy"));
    }
};

QTEST_GUILESS_MAIN(TestOfflineLabelQueue)
#include "tst_offline_label_queue.moc"
