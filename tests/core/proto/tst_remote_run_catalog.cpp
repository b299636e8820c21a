// A workspace's run history reviewed from another machine: a real sshd on 127.0.0.1 and a real
// worker behind it, answering from the host's strata.db. Every read gives what the host's own
// history gives (runs, recorded tokenizers, a run's config, metric keys, downsampled series, step
// samples, checkpoints, config differences, lineage, comments), the metric export is byte for byte
// the host's over several pages of rows, and writes (title, tags, notes, comments) land on the host
// as the SSH login. An unknown run, a bad request and a delete are refused in one line, and a
// connection that dies is made again; a comment that met the drop is not sent twice, and a host
// that is away is not tried again at every call.
#include "core/common/login_name.h"
#include "core/common/workspace_paths.h"
#include "core/proto/history_messages.h"
#include "core/proto/remote_run_catalog.h"
#include "tests/core/proto/ssh_server.h"
#include "tests/error_of.h"

#include <QtTest>

#include <csignal>
#include <fstream>
#include <limits>
#include <sstream>

using namespace strata;
namespace fs = std::filesystem;

namespace {

// More loss points than one page of an export holds.
constexpr int kLongRun = store::kMetricRowsPerPage + 1234;

std::string fileText(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

bool isConnectionLost(const std::function<void()>& call) {
    try {
        call();
    } catch (const proto::ConnectionLost&) {
        return true;
    }
    return false;
}

}  // namespace

class TestRemoteRunCatalog : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    SshServer m_ssh;
    int64_t m_alpha = 0;
    int64_t m_beta = 0;

    fs::path workspace() const { return m_dir.filePath("host-ws").toStdString(); }
    proto::WorkerTarget target() const { return m_ssh.target(STRATA_CLI, workspace()); }

    // Two runs as the host's history holds them: a long one and its fine-tune.
    void recordRuns(store::RunHistory& history) {
        store::NewRun alpha;
        alpha.name = "alpha";
        alpha.host = "local";
        alpha.stage = "pretrain";
        alpha.createdBy = "ana";
        alpha.configText = "[optim]\nlr = 0.001\n[train]\nmax_steps = 60000\n";
        alpha.tags = {"sweep"};
        m_alpha = history.createRun(alpha);
        store::IngestBatch batch;
        batch.runId = m_alpha;
        for (int step = 1; step <= kLongRun; ++step)
            batch.metrics.push_back(
                {step, "loss", step, 4.0 / std::sqrt(double(step)), 1.7e9 + 0.25 * step, 0});
        batch.metrics.push_back({kLongRun + 1, "val.loss", 100,
                                 std::numeric_limits<double>::quiet_NaN(), 1.7e9 + 25, 0});
        batch.checkpoints.push_back({kLongRun + 2, 30000, "runs/alpha/checkpoints/step-30000",
                                     std::numeric_limits<double>::quiet_NaN(), 1.7e9 + 7500});
        batch.checkpoints.push_back(
            {kLongRun + 3, 60000, "runs/alpha/checkpoints/step-60000", 2.5, 1.7e9 + 15000});
        batch.lastSeq = kLongRun + 3;
        batch.stateSeq = batch.lastSeq;
        batch.state = store::RunState::Completed;
        batch.startedAt = 1.7e9;
        batch.endedAt = 1.7e9 + 15000;
        history.ingest(batch);

        store::NewRun beta;
        beta.name = "beta";
        beta.host = "local";
        beta.stage = "sft";
        beta.configText = "[optim]\nlr = 0.0002\n[train]\nstage = \"sft\"\n";
        beta.parentRunId = m_alpha;
        beta.parentCheckpoint = "runs/alpha/checkpoints/step-60000";
        m_beta = history.createRun(beta);
        store::IngestBatch short_;
        short_.runId = m_beta;
        for (int step = 1; step <= 40; ++step)
            short_.metrics.push_back({step, "loss", step, 2.0 - step / 100.0, 1.8e9 + step, 0});
        short_.lastSeq = 40;
        history.ingest(short_);
        history.addComment(m_alpha, "rev", "The warmup looks short.");
        history.recordTokenizer(
            {"tokenizers/web/tokenizer.json", "sha256:1f2e", "{\"vocab_size\": 32000}"});
    }

private slots:
    void initTestCase() {
        QVERIFY2(m_ssh.started(), qPrintable(m_ssh.log()));
        fs::create_directories(workspace());
        store::RunHistory history(common::historyFile(workspace()));
        recordRuns(history);
    }

    void readsGiveWhatTheHostGives() {
        store::RunHistory history(common::historyFile(workspace()));
        store::LocalRunCatalog local(history, workspace());
        proto::RemoteRunCatalog remote(target());

        QCOMPARE(proto::runsJson(remote.listRuns()), proto::runsJson(local.listRuns()));
        QCOMPARE(proto::datasetRecordsJson("tokenizers", remote.tokenizers()),
                 proto::datasetRecordsJson("tokenizers", local.tokenizers()));
        QCOMPARE(proto::checkpointsByRunJson(remote.checkpointsByRun()),
                 proto::checkpointsByRunJson(local.checkpointsByRun()));
        QCOMPARE(remote.checkpointsByRun().size(), size_t(1));  // beta has none
        QCOMPARE(remote.checkpointsByRun().at(m_alpha).size(), size_t(2));
        QCOMPARE(remote.tokenizers().size(), size_t(1));
        QCOMPARE(remote.tokenizers()[0].statsJson, std::string("{\"vocab_size\": 32000}"));
        store::RunFilter sweep;
        sweep.tag = "sweep";
        QCOMPARE(remote.listRuns(sweep).size(), size_t(1));
        for (int64_t runId : {m_alpha, m_beta}) {
            QCOMPARE(proto::runJson(remote.run(runId)), proto::runJson(local.run(runId)));
            QCOMPARE(remote.metricKeys(runId), local.metricKeys(runId));
            QCOMPARE(proto::bucketsJson(remote.series(runId, "loss", 0, INT64_MAX, 300)),
                     proto::bucketsJson(local.series(runId, "loss", 0, INT64_MAX, 300)));
            QCOMPARE(proto::samplesJson(remote.sampleSteps(runId, "loss", 10, 30000, 50)),
                     proto::samplesJson(local.sampleSteps(runId, "loss", 10, 30000, 50)));
            QCOMPARE(proto::checkpointsJson(remote.checkpoints(runId)),
                     proto::checkpointsJson(local.checkpoints(runId)));
            QCOMPARE(proto::lineageJson(remote.lineage(runId)),
                     proto::lineageJson(local.lineage(runId)));
            QCOMPARE(proto::commentsJson(remote.comments(runId)),
                     proto::commentsJson(local.comments(runId)));
        }
        store::RunRecord beta = remote.run(m_beta);
        QCOMPARE(beta.parentRunId, std::optional<int64_t>(m_alpha));
        QCOMPARE(beta.configText, std::string("[optim]\nlr = 0.0002\n[train]\nstage = \"sft\"\n"));
        QCOMPARE(remote.series(m_alpha, "loss", 0, INT64_MAX, 300).size(), size_t(300));
        QVERIFY(std::isnan(remote.checkpoints(m_alpha)[0].valLoss));
        QCOMPARE(remote.checkpoints(m_alpha)[1].valLoss, 2.5);
        QVERIFY(remote.series(m_alpha, "no.such.key", 0, INT64_MAX, 300).empty());
        for (bool allKeys : {false, true})
            QCOMPARE(proto::differencesJson(remote.diffConfigs(m_alpha, m_beta, allKeys)),
                     proto::differencesJson(local.diffConfigs(m_alpha, m_beta, allKeys)));
        QCOMPARE(remote.diffConfigs(m_alpha, m_beta).front().key, std::string("optim.lr"));
        QCOMPARE(remote.lineage(m_beta).inputs.front().kind, store::LineageKind::Checkpoint);

        const fs::path here = m_dir.filePath("remote.csv").toStdString();
        const fs::path there = m_dir.filePath("host.csv").toStdString();
        remote.exportMetricsCsv(m_alpha, here);
        local.exportMetricsCsv(m_alpha, there);
        const std::string csv = fileText(here);
        QCOMPARE(csv, fileText(there));
        QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), std::ptrdiff_t(kLongRun + 2));
        QVERIFY(csv.find("val.loss,100,nan,") != std::string::npos);
        QVERIFY(!remote.isLocal());
    }

    void writesLandOnTheHostAsTheLogin() {
        proto::RemoteRunCatalog remote(target());
        QCOMPARE(remote.identity(), common::loginName());
        remote.setDetails(m_beta, {"beta, tuned", {"sft", "keep"}, "Chosen for the demo.\n"});
        const int64_t comment = remote.addComment(m_beta, {}, "Ship it.");
        remote.addComment(m_beta, "bo", "Agreed.");

        store::RunHistory history(common::historyFile(workspace()));
        store::RunRecord beta = history.run(m_beta);
        QCOMPARE(beta.title, std::string("beta, tuned"));
        QCOMPARE(beta.tags, (std::vector<std::string>{"keep", "sft"}));
        QCOMPARE(beta.notes, std::string("Chosen for the demo.\n"));
        std::vector<store::RunComment> comments = history.comments(m_beta);
        QCOMPARE(comments.size(), size_t(2));
        QCOMPARE(comments[0].id, comment);
        QCOMPARE(comments[0].author, common::loginName());
        QCOMPARE(comments[0].body, std::string("Ship it."));
        QCOMPARE(comments[1].author, std::string("bo"));
        QCOMPARE(remote.run(m_beta).shownName(), std::string("beta, tuned"));
    }

    void mistakesAreOneLine() {
        proto::RemoteRunCatalog remote(target());
        QString error = errorOf([&] { remote.run(999); });
        QVERIFY2(error.contains("no run with id 999"), qPrintable(error));
        error = errorOf([&] { remote.series(m_alpha, "loss", 0, INT64_MAX, 0); });
        QVERIFY2(error.contains("history_series: \"width\" must be 1 to 100000, not 0"),
                 qPrintable(error));
        error = errorOf([&] { remote.addComment(m_alpha, {}, "  "); });
        QVERIFY2(error.contains("a comment needs some text"), qPrintable(error));
        error = errorOf(
            [&] { remote.exportMetricsCsv(999, m_dir.filePath("none.csv").toStdString()); });
        QVERIFY2(error.contains("999"), qPrintable(error));
        QVERIFY(!fs::exists(m_dir.filePath("none.csv").toStdString()));
        error = errorOf([&] { remote.deleteRun(m_alpha); });
        QVERIFY2(error.contains("workspace of this machine"), qPrintable(error));
        QVERIFY(!error.contains('\n'));
        store::RunHistory history(common::historyFile(workspace()));
        QCOMPARE(history.listRuns().size(), size_t(2));
    }

    void aDroppedConnectionIsMadeAgain() {
        proto::RemoteRunCatalog remote(target());
        QCOMPARE(remote.listRuns().size(), size_t(2));
        const size_t comments = remote.comments(m_alpha).size();
        for (pid_t client : SshServer::clientsOfThisProcess())
            ::kill(client, SIGKILL);
        // The comment meets the dead connection and is not sent again on a new one: had it
        // reached the host before the drop, a second send would post it twice.
        bool lost = false;
        try {
            remote.addComment(m_alpha, {}, "once");
        } catch (const proto::ConnectionLost&) {
            lost = true;
        }
        QVERIFY(lost);
        QCOMPARE(remote.listRuns().size(), size_t(2));  // a new connection
        QCOMPARE(remote.comments(m_alpha).size(), comments);
        for (pid_t client : SshServer::clientsOfThisProcess())
            ::kill(client, SIGKILL);
        QCOMPARE(remote.metricKeys(m_beta), std::vector<std::string>{"loss"});  // sent again
    }

    // A host that is away is tried once per wait (2 s, then longer), not at every call; once it
    // is back and the wait is over, calls go through again.
    void anUnreachableHostIsTriedOncePerWait() {
        proto::RemoteRunCatalog remote(target());
        QCOMPARE(remote.listRuns().size(), size_t(2));
        m_ssh.stop();
        for (pid_t client : SshServer::clientsOfThisProcess())
            ::kill(client, SIGKILL);
        QVERIFY(isConnectionLost([&] { remote.listRuns(); }));
        QElapsedTimer fast;
        fast.start();
        QString error;
        try {
            remote.metricKeys(m_alpha);
        } catch (const proto::ConnectionLost& lost) {
            error = QString::fromUtf8(lost.what());
        }
        QVERIFY2(error.contains("cannot reach the host; trying again in 2 s"), qPrintable(error));
        QVERIFY(fast.elapsed() < 100);  // no connect attempt
        QVERIFY(m_ssh.start());
        QTest::qWait(2100);
        QCOMPARE(remote.listRuns().size(), size_t(2));
    }
};

QTEST_MAIN(TestRemoteRunCatalog)
#include "tst_remote_run_catalog.moc"
