// A team's labeling queue on a workspace reached over SSH: a real sshd on 127.0.0.1 and a real
// worker behind each connection. Three annotators, each with a connection of its own, label one
// queue of 300 pairs (one label a pair) as fast as they can, and one connection is killed while
// they do: every pair ends with exactly one label, every label an annotator was told about is
// stored with its choice, and the annotator whose connection died carries on over a new one. The
// SSH login is the default annotator and the queue's owner, a settings change by anyone else is
// refused by the worker, and a host that cannot be reached is a ConnectionLost naming it.
#include "core/common/workspace_paths.h"
#include "core/proto/remote_label_queue.h"
#include "tests/core/proto/ssh_server.h"
#include "tests/error_of.h"

#include <QtTest>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include <pwd.h>

using namespace strata;
namespace fs = std::filesystem;

namespace {

constexpr int kPairs = 300;

struct Given {
    int64_t pairId;
    store::Choice choice;
};

}  // namespace

class TestRemoteLabelQueue : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    SshServer m_ssh;

    std::string workspace() const { return m_dir.filePath("host-ws").toStdString(); }
    proto::WorkerTarget target() const { return m_ssh.target(STRATA_CLI, workspace()); }

private slots:
    void initTestCase() {
        QVERIFY2(m_ssh.started(), qPrintable(m_ssh.log()));
        fs::create_directories(workspace());
        const fs::path pairs = m_dir.filePath("pairs.jsonl").toStdString();
        std::ofstream out(pairs);
        for (int i = 1; i <= kPairs; ++i)
            out << "{\"prompt\": \"question " << i << "\", \"response_a\": \"yes " << i
                << "\", \"response_b\": \"no " << i << "\"}\n";
        out.close();
        proto::RemoteLabelQueue queue(target());
        QCOMPARE(queue.importPairs(pairs, {}), int64_t(kPairs));
    }

    void theLoginOwnsWhatItImported() {
        proto::RemoteLabelQueue queue(target());
        const std::string login = ::getpwuid(::geteuid())->pw_name;
        QCOMPARE(queue.identity(), login);
        store::QueueSettings settings = queue.settings();
        QCOMPARE(settings.owner, login);
        settings.guidelines = "Prefer the **correct** answer.";
        queue.configure(settings, {});
        QCOMPARE(queue.settings().guidelines, settings.guidelines);
        QString error = errorOf([&] { queue.configure(settings, "mallory"); });
        QVERIFY2(error.contains("the labeling queue belongs to " + QString::fromStdString(login)),
                 qPrintable(error));
    }

    void threeAnnotatorsLabelOneQueueWhileAConnectionDies() {
        const std::vector<std::string> annotators{"ana", "bo", "cy"};
        std::vector<std::vector<Given>> given(annotators.size());
        std::vector<std::string> failures(annotators.size());
        std::atomic<int> labeled{0};
        std::atomic<size_t> connected{0};
        std::vector<std::thread> threads;
        for (size_t who = 0; who < annotators.size(); ++who)
            threads.emplace_back([&, who] {
                try {
                    proto::RemoteLabelQueue queue(target());
                    queue.identity();  // connected; all three start together
                    ++connected;
                    while (connected < annotators.size())
                        std::this_thread::sleep_for(std::chrono::milliseconds(1));
                    while (std::optional<store::PreferencePair> pair =
                               queue.claim(annotators[who])) {
                        store::LabelSubmission label;
                        label.pairId = pair->id;
                        label.annotator = annotators[who];
                        label.choice = pair->id % 3 == 0 ? store::Choice::B : store::Choice::A;
                        label.id = annotators[who] + "-" + std::to_string(pair->id);
                        queue.submit(label);
                        given[who].push_back({pair->id, label.choice});
                        ++labeled;
                    }
                } catch (const std::exception& error) {
                    failures[who] = error.what();
                }
            });
        // A third of the way in, one connection is killed while all three are labeling.
        while (labeled < kPairs / 3)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        std::vector<pid_t> connections = SshServer::clientsOfThisProcess();
        QCOMPARE(connections.size(), annotators.size());
        ::kill(connections[1], SIGKILL);
        for (std::thread& thread : threads)
            thread.join();
        for (const std::string& failure : failures)
            QVERIFY2(failure.empty(), failure.c_str());

        store::LabelStore host(common::historyFile(workspace()));
        std::vector<store::Label> labels = host.labels();
        QCOMPARE(labels.size(), size_t(kPairs));
        std::map<int64_t, store::Label> byPair;
        for (const store::Label& label : labels)
            QVERIFY2(byPair.emplace(label.pairId, label).second, "a pair labeled twice");
        size_t numGiven = 0;
        for (size_t who = 0; who < annotators.size(); ++who) {
            qInfo("%s labeled %zu pairs", annotators[who].c_str(), given[who].size());
            QVERIFY2(!given[who].empty(), annotators[who].c_str());
            for (const Given& label : given[who]) {
                QCOMPARE(byPair.at(label.pairId).annotator, annotators[who]);
                QVERIFY(byPair.at(label.pairId).choice == label.choice);
            }
            numGiven += given[who].size();
        }
        QCOMPARE(numGiven, size_t(kPairs));

        proto::RemoteLabelQueue reviewer(target());
        store::QueueStats stats = reviewer.stats();
        QCOMPARE(stats.all.numLabeledPairs, int64_t(kPairs));
        QCOMPARE(stats.annotators.size(), annotators.size());
        QVERIFY(stats.agreements.empty());  // one label a pair: nothing to compare
    }

    void anUnreachableHostIsAConnectionLost() {
        proto::WorkerTarget unreachable = target();
        unreachable.port = m_ssh.port() == 65535 ? 1 : m_ssh.port() + 1;  // nobody listens
        unreachable.sshOptions.push_back("ConnectTimeout=5");
        proto::RemoteLabelQueue queue(unreachable);
        try {
            queue.stats();
            QFAIL("stats over a closed port returned");
        } catch (const proto::ConnectionLost& lost) {
            QVERIFY2(QString(lost.what()).contains("ssh://127.0.0.1:"), lost.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestRemoteLabelQueue)
#include "tst_remote_label_queue.moc"
