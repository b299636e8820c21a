// `strata-cli labels score` as a user runs it, with a reward model trained for two steps on a
// tiny pretraining run: the pairs nobody has labeled get the model's margin r(A) - r(B) (a pair
// and its mirror image get opposite margins), scoring again scores only new pairs, a workspace
// of another host scores its pairs there, and a missing flag, a checkpoint that is no reward
// model (or outside a remote workspace) and an unknown action are one-line errors.
#include "core/common/workspace_paths.h"
#include "core/store/label_store.h"
#include "tests/core/proto/ssh_server.h"
#include "tiny_checkpoint.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace strata;

class TestCliLabels : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_pretrained;
    QString m_rewardModel;

    QString path(const char* name) const { return m_dir.filePath(name); }

    double marginOf(store::LabelStore& labels, int64_t pairId) {
        store::Statement select =
            labels.database().prepare("SELECT margin FROM pair_scores WHERE pair_id = ?1");
        select.bind(1, pairId);
        if (!select.step()) qFatal("pair %lld has no score", static_cast<long long>(pairId));
        return select.columnDouble(0);
    }

private slots:
    void initTestCase() {
        m_pretrained = trainTinyCheckpoint(m_dir.path());
        QVERIFY(!m_pretrained.isEmpty());

        QByteArray pairs;
        for (const char* word : {"cat", "dog", "sun", "sea", "hat", "map"})
            pairs += QString(
                         "{\"prompt\": \"the %1\", \"chosen\": \"a\", \"rejected\": \"a %1 "
                         "and the %1\"}\n")
                         .arg(word)
                         .toUtf8();
        QVERIFY(writeFile(path("pairs.jsonl"), pairs));
        CliRun defaults = runCli({"train", "--print-default-config", "--stage", "reward"});
        QVERIFY2(defaults.exitCode == 0, qPrintable(defaults.err));
        QVERIFY(writeFile(path("reward.toml"), defaults.out.toUtf8()));
        CliRun reward = runCli({"train", path("reward.toml"), "-o", path("ws/runs/rm"), "--set",
                                "init.model=" + m_pretrained, "--set",
                                "data.train=" + path("pairs.jsonl"), "--set", "train.max_steps=2",
                                "--set", "train.eval_every=0", "--set", "train.micro_batch_size=2",
                                "--set", "train.threads=1", "--set", "checkpoint.every=2"});
        QVERIFY2(reward.exitCode == 0, qPrintable(reward.err));
        m_rewardModel = path("ws/runs/rm/checkpoints/step-0000002");
    }

    void scoresThePairsNobodyLabeled() {
        const std::filesystem::path workspace = path("ws").toStdString();
        store::LabelStore labels(common::historyFile(workspace));
        labels.addPairs({{0, "the cat", "a", "a cat and a cat", "", ""},
                         {0, "the cat", "a cat and a cat", "a", "", ""},
                         {0, "the dog", "a dog", "the dog and the sun", "", ""},
                         {0, "the sun", "a", "b", "", ""}});
        labels.label(4, "ana", store::Choice::A);
        CliRun run = runCli({"labels", "score", "--reward-model", m_rewardModel + "/",
                             "--workspace", path("ws"), "--threads", "1"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains("scored 3 pairs with runs/rm/checkpoints/step-0000002"),
                 qPrintable(run.out));
        const std::string scorer = "runs/rm/checkpoints/step-0000002";
        QCOMPARE(labels.scorers(), std::vector<std::string>{scorer});
        QCOMPARE(labels.scoredPairs(scorer), int64_t(3));
        // A pair and its mirror image: the same two rewards, subtracted the other way.
        const double forward = marginOf(labels, 1), backward = marginOf(labels, 2);
        QVERIFY(forward != 0);
        QVERIFY2(std::abs(forward + backward) < 1e-5,
                 qPrintable(QString("%1 vs %2").arg(forward).arg(backward)));

        // Scoring again with the same model leaves the scored pairs alone.
        CliRun again = runCli({"labels", "score", "-r", m_rewardModel, "-w", path("ws")});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QVERIFY2(again.out.contains("no unlabeled pairs left to score"), qPrintable(again.out));
    }

    // On a workspace of another host (a real sshd on 127.0.0.1), the host scores its pairs with
    // its checkpoint, as a job of its worker, and the output comes back as it is written.
    void aHostScoresItsOwnPairs() {
        SshServer ssh;
        QVERIFY2(ssh.started(), qPrintable(ssh.log()));
        const std::filesystem::path workspace = path("ws").toStdString();
        store::LabelStore labels(common::historyFile(workspace));
        labels.addPairs({{0, "the map", "a", "a map and a map", "", ""},
                         {0, "the hat", "a hat", "the hat and the sea", "", ""}});
        const proto::WorkerTarget target = ssh.target(STRATA_CLI, workspace.string());
        QStringList remote{
            "-w",           QString("ssh://127.0.0.1:%1%2").arg(ssh.port()).arg(path("ws")),
            "--identity",   QString::fromStdString(target.identityFile),
            "--remote-cli", STRATA_CLI};
        for (const std::string& option : target.sshOptions)
            remote << "--ssh-option" << QString::fromStdString(option);
        const std::string scorer = "runs/rm/checkpoints/step-0000002";
        const int64_t before = labels.scoredPairs(scorer);
        CliRun run =
            runCli(QStringList{"labels", "score", "-r", QString::fromStdString(scorer)} << remote);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains("scored 2 pairs with " + QString::fromStdString(scorer)),
                 qPrintable(run.out + run.err));
        QCOMPARE(labels.scoredPairs(scorer), before + 2);

        CliRun outside = runCli(QStringList{"labels", "score", "-r", m_pretrained} << remote);
        QCOMPARE(outside.exitCode, 1);
        QVERIFY2(outside.lastErrorLine().contains("is outside the workspace"),
                 qPrintable(outside.err));
    }

    void badInputGetsOneLineErrors() {
        CliRun missing = runCli({"labels", "score", "-w", path("ws")});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.lastErrorLine().contains("--reward-model DIR is required"),
                 qPrintable(missing.err));
        QVERIFY(QDir().mkpath(path("ws2")));
        store::LabelStore(common::historyFile(path("ws2").toStdString()))
            .addPairs({{0, "p", "a", "b", "", ""}});
        CliRun notReward = runCli({"labels", "score", "-r", m_pretrained, "-w", path("ws2")});
        QCOMPARE(notReward.exitCode, 1);
        QVERIFY2(notReward.lastErrorLine().contains("not a reward model"),
                 qPrintable(notReward.err));
        CliRun unknown = runCli({"labels", "rank", "-w", path("ws")});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.lastErrorLine().contains("unknown action 'rank'"),
                 qPrintable(unknown.err));
    }
};

QTEST_GUILESS_MAIN(TestCliLabels)
#include "tst_cli_labels.moc"
