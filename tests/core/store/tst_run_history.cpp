// The run history on a real database file: runs are created, found, listed through every
// filter and sorted by every key both ways; tags and notes change; ingest stores each event
// once however often and by whomever it is delivered, a resumed run's truncation drops the
// steps it trains again, checkpoints, logs and rollouts come back as stored; config diffs, the CSV
// export and datasets read back exactly; a backup taken while another connection writes is a
// consistent copy; bad input gets a one-line error naming what is wrong.
#include "core/store/run_history.h"
#include "tests/error_of.h"

#include <fmt/format.h>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

using namespace strata;
using store::RunHistory;
using store::RunState;
namespace fs = std::filesystem;

namespace {

int64_t count(store::Database& db, const char* sql, int64_t runId) {
    store::Statement select = db.prepare(sql);
    select.bind(1, runId);
    select.step();
    return select.columnInt(0);
}

int64_t numMetrics(RunHistory& history, int64_t runId) {
    return count(history.database(), "SELECT count(*) FROM metrics WHERE run_id = ?1", runId);
}

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// One metrics event of the worker: every key at one step, under one seq.
void addStep(store::IngestBatch& batch, int64_t seq, int64_t step, double loss) {
    batch.metrics.push_back({seq, "loss", step, loss, 1.7e9 + double(step), 0});
    batch.metrics.push_back({seq, "lr", step, 3e-4, 1.7e9 + double(step), 0});
    batch.lastSeq = seq;
}

}  // namespace

class TestRunHistory : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path file(const char* name) const { return fs::path(m_tmp.filePath(name).toStdString()); }

private slots:
    void runsAreCreatedAndFound() {
        RunHistory history(file("create.db"));
        store::NewRun base{"base-1", "local", "pretrain", "[optim]\nlr = 3e-4\n", "/w/runs/base-1"};
        base.tags = {"moe", "baseline", "moe"};
        base.notes = "first try";
        int64_t baseId = history.createRun(base);
        store::NewRun sft{"sft-1",
                          "gpu-box",
                          "sft",
                          "",
                          "/r/sft-1",
                          baseId,
                          "/w/runs/base-1/checkpoints/step-0000800"};
        int64_t sftId = history.createRun(sft);

        store::RunRecord record = history.run(sftId);
        QCOMPARE(record.name, std::string("sft-1"));
        QCOMPARE(record.host, std::string("gpu-box"));
        QCOMPARE(record.stage, std::string("sft"));
        QCOMPARE(record.runDir, std::string("/r/sft-1"));
        QCOMPARE(record.parentRunId, std::optional<int64_t>(baseId));
        QCOMPARE(record.parentCheckpoint, sft.parentCheckpoint);
        QVERIFY(record.state == RunState::Created);
        QVERIFY(record.createdAt > 1.6e9 && record.startedAt == 0 && record.endedAt == 0);
        QCOMPARE(record.lastSeq, int64_t(0));
        QCOMPARE(record.lastStep, int64_t(0));
        QVERIFY(std::isnan(record.lastLoss));

        std::optional<store::RunRecord> found = history.findRun("local", "base-1");
        QVERIFY(found);
        QCOMPARE(found->id, baseId);
        QCOMPARE(found->configText, base.configText);
        QCOMPARE(found->tags, (std::vector<std::string>{"baseline", "moe"}));
        QCOMPARE(found->notes, std::string("first try"));
        QVERIFY(!found->parentRunId);
        QVERIFY(found->nodes.empty());
        QVERIFY(!history.findRun("gpu-box", "base-1"));

        // A run across hosts keeps where its further hosts hold their parts, in node order.
        store::NewRun wide{"wide-1", "ssh://a", "pretrain", "", "/a/runs/wide-1"};
        wide.nodes = {{"ssh://b", "wide-1", "/b/runs/wide-1"},
                      {"ssh://c", "wide-2", "/c/w/wide-2"}};
        const int64_t wideId = history.createRun(wide);
        QCOMPARE(history.run(wideId).nodes, wide.nodes);
        QCOMPARE(history.findRun("ssh://a", "wide-1")->nodes, wide.nodes);
        history.deleteRun(wideId);
        QCOMPARE(
            count(history.database(), "SELECT count(*) FROM run_nodes WHERE run_id = ?1", wideId),
            int64_t(0));

        // The same name on another host is another run; on the same host it is refused.
        history.createRun({"base-1", "gpu-box"});
        QString error = errorOf([&] { history.createRun({"base-1", "local"}); });
        QVERIFY2(
            error.contains(
                QString("a run named 'base-1' already exists on host 'local' (id %1)").arg(baseId)),
            qPrintable(error));
        store::NewRun orphan{"orphan", "local"};
        orphan.parentRunId = 999;
        error = errorOf([&] { history.createRun(orphan); });
        QVERIFY2(error.contains("no run with id 999"), qPrintable(error));
        QVERIFY(!history.findRun("local", "orphan"));
        error = errorOf([&] { history.createRun({"", "local"}); });
        QVERIFY2(error.contains("a run needs a name"), qPrintable(error));
    }

    void runsAreFilteredAndSorted() {
        RunHistory history(file("list.db"));
        struct Spec {
            const char* name;
            const char* host;
            const char* stage;
            RunState state;
            std::vector<std::string> tags;
            int64_t lastStep;  // 0: no metrics
            double lastLoss;
        };
        const std::vector<Spec> specs = {
            {"Alpha_%", "local", "pretrain", RunState::Completed, {"moe"}, 300, 2.5},
            {"beta", "local", "sft", RunState::Running, {"moe", "fp8"}, 100, 3.5},
            {"gamma", "gpu", "pretrain", RunState::Failed, {}, 0, 0},
            {"delta-alpha", "gpu", "dpo", RunState::Paused, {"fp8"}, 200, 1.5},
            {"epsilon", "local", "pretrain", RunState::Created, {}, 50, 4.5},
        };
        int64_t seq = 0;
        for (const Spec& spec : specs) {
            store::NewRun run{spec.name, spec.host, spec.stage};
            run.tags = spec.tags;
            int64_t id = history.createRun(run);
            store::IngestBatch batch;
            batch.runId = id;
            batch.state = spec.state;
            batch.stateSeq = ++seq;
            if (spec.lastStep > 0) {
                addStep(batch, ++seq, spec.lastStep - 1, spec.lastLoss + 1);
                addStep(batch, ++seq, spec.lastStep, spec.lastLoss);
            }
            batch.lastSeq = seq;
            history.ingest(batch);
        }
        auto names = [&](const store::RunFilter& filter) {
            QStringList list;
            for (const store::RunRecord& run : history.listRuns(filter))
                list << QString::fromStdString(run.name);
            return list;
        };
        store::RunFilter filter;
        filter.sortBy = store::RunSortKey::Name;
        filter.descending = false;
        QCOMPARE(names(filter),
                 QStringList({"Alpha_%", "beta", "delta-alpha", "epsilon", "gamma"}));
        filter.nameContains = "ALPHA";  // case-insensitive substring
        QCOMPARE(names(filter), QStringList({"Alpha_%", "delta-alpha"}));
        filter.nameContains = "_%";  // no LIKE wildcards: the characters themselves
        QCOMPARE(names(filter), QStringList({"Alpha_%"}));
        filter.nameContains = "";
        filter.stage = "pretrain";
        QCOMPARE(names(filter), QStringList({"Alpha_%", "epsilon", "gamma"}));
        filter.host = "gpu";
        QCOMPARE(names(filter), QStringList({"gamma"}));
        filter = {};
        filter.sortBy = store::RunSortKey::Name;
        filter.descending = false;
        filter.state = RunState::Paused;
        QCOMPARE(names(filter), QStringList({"delta-alpha"}));
        filter.state.reset();
        filter.tag = "fp8";
        QCOMPARE(names(filter), QStringList({"beta", "delta-alpha"}));
        filter.tag = "fp";
        QCOMPARE(names(filter), QStringList());
        filter.tag.reset();
        filter.limit = 2;
        QCOMPARE(names(filter), QStringList({"Alpha_%", "beta"}));

        // Every key both ways; ties and runs without a loss keep a fixed order.
        const std::vector<std::pair<store::RunSortKey, QStringList>> ascending = {
            {store::RunSortKey::Created, {"Alpha_%", "beta", "gamma", "delta-alpha", "epsilon"}},
            {store::RunSortKey::Name, {"Alpha_%", "beta", "delta-alpha", "epsilon", "gamma"}},
            {store::RunSortKey::State, {"epsilon", "beta", "delta-alpha", "Alpha_%", "gamma"}},
            {store::RunSortKey::Stage, {"delta-alpha", "Alpha_%", "gamma", "epsilon", "beta"}},
            {store::RunSortKey::Host, {"gamma", "delta-alpha", "Alpha_%", "beta", "epsilon"}},
            {store::RunSortKey::LastStep, {"gamma", "epsilon", "beta", "delta-alpha", "Alpha_%"}},
            {store::RunSortKey::LastLoss, {"delta-alpha", "Alpha_%", "beta", "epsilon", "gamma"}},
        };
        for (const auto& [key, expected] : ascending) {
            store::RunFilter sorted;
            sorted.sortBy = key;
            sorted.descending = false;
            QCOMPARE(names(sorted), expected);
            sorted.descending = true;
            QStringList reversed(expected.rbegin(), expected.rend());
            if (key == store::RunSortKey::LastLoss) reversed.move(0, 4);  // no loss stays last
            QCOMPARE(names(sorted), reversed);
        }
        store::RunRecord alpha = *history.findRun("local", "Alpha_%");
        QCOMPARE(alpha.lastStep, int64_t(300));
        QCOMPARE(alpha.lastLoss, 2.5);
        QVERIFY(alpha.state == RunState::Completed);
    }

    void tagsAndNotesChange() {
        RunHistory history(file("tags.db"));
        int64_t id = history.createRun({"run", "local"});
        history.setTags(id, {"b", "a", "b"});
        QCOMPARE(history.run(id).tags, (std::vector<std::string>{"a", "b"}));
        history.setTags(id, {"c"});
        QCOMPARE(history.run(id).tags, (std::vector<std::string>{"c"}));
        history.setNotes(id, "lr too high; it's \"fine\" — 学习率");
        QCOMPARE(history.run(id).notes, std::string("lr too high; it's \"fine\" — 学习率"));
        history.setState(id, RunState::Stopped);
        QVERIFY(history.run(id).state == RunState::Stopped);
        QString error = errorOf([&] { history.setTags(id, {"ok", ""}); });
        QVERIFY2(error.contains("a tag cannot be empty"), qPrintable(error));
        QCOMPARE(history.run(id).tags, (std::vector<std::string>{"c"}));  // rolled back
        for (const auto& action : std::vector<std::function<void()>>{
                 [&] { history.setTags(77, {"x"}); }, [&] { history.setNotes(77, "x"); },
                 [&] { history.setState(77, RunState::Failed); }}) {
            error = errorOf(action);
            QVERIFY2(error.contains("no run with id 77"), qPrintable(error));
        }
    }

    void commentsKeepTheirAuthorAndOrder() {
        RunHistory history(file("comments.db"));
        int64_t id = history.createRun({"run", "local"});
        int64_t first = history.addComment(id, "ana", "loss spikes at step 300");
        history.addComment(id, "bo", "lr 3e-4 next?\n学习率");
        std::vector<store::RunComment> comments = history.comments(id);
        QCOMPARE(comments.size(), size_t(2));
        QCOMPARE(comments[0].id, first);
        QCOMPARE(comments[0].author, std::string("ana"));
        QCOMPARE(comments[1].body, std::string("lr 3e-4 next?\n学习率"));
        QVERIFY(comments[1].createdAt >= comments[0].createdAt && comments[0].createdAt > 1.6e9);
        for (const auto& [action, expected] :
             std::vector<std::pair<std::function<void()>, QString>>{
                 {[&] { history.addComment(id, "", "x"); }, "needs its author"},
                 {[&] { history.addComment(id, "ana", " \n"); }, "needs some text"},
                 {[&] { history.addComment(77, "ana", "x"); }, "no run with id 77"}}) {
            QString error = errorOf(action);
            QVERIFY2(error.contains(expected), qPrintable(error));
        }
        QCOMPARE(history.comments(id).size(), size_t(2));
        history.deleteRun(id);
        QCOMPARE(
            count(history.database(), "SELECT count(*) FROM run_comments WHERE run_id = ?1", id),
            0);
    }

    void runsAreRenamedForPeopleAndDeleted() {
        RunHistory history(file("rename.db"));
        int64_t parent = history.createRun({"run-1", "local"});
        store::NewRun child{"run-2", "local"};
        child.parentRunId = parent;
        int64_t childId = history.createRun(child);
        history.setTitle(parent, "baseline, lr 3e-4");
        QCOMPARE(history.run(parent).name, std::string("run-1"));  // the worker's id stays
        QCOMPARE(history.run(parent).shownName(), std::string("baseline, lr 3e-4"));
        store::RunFilter filter;
        filter.nameContains = "BASELINE";
        QCOMPARE(history.listRuns(filter).size(), size_t(1));
        history.setTitle(parent, "");
        QCOMPARE(history.run(parent).shownName(), std::string("run-1"));

        store::IngestBatch batch;
        batch.runId = parent;
        addStep(batch, 1, 1, 2.5);
        history.ingest(batch);
        history.setTags(parent, {"a"});
        QCOMPARE(numMetrics(history, parent), 2);
        history.deleteRun(parent);
        QVERIFY(!history.findRun("local", "run-1"));
        QCOMPARE(numMetrics(history, parent), 0);
        QCOMPARE(
            count(history.database(), "SELECT count(*) FROM run_tags WHERE run_id = ?1", parent),
            0);
        QVERIFY(!history.run(childId).parentRunId);  // the child stays, unlinked
        QString error = errorOf([&] { history.deleteRun(parent); });
        QVERIFY2(error.contains(QString("no run with id %1").arg(parent)), qPrintable(error));
        error = errorOf([&] { history.setTitle(parent, "x"); });
        QVERIFY2(error.contains("no run with id"), qPrintable(error));
    }

    void ingestStoresEachEventOnce() {
        RunHistory history(file("once.db"));
        int64_t id = history.createRun({"run", "local"});
        store::IngestBatch first;
        first.runId = id;
        first.state = RunState::Running;
        first.stateSeq = 1;
        first.startedAt = 1.7e9;
        first.configText = "[optim]\nlr = 0.01\nweight_decay = 0.1\n";
        for (int64_t seq = 2; seq <= 10; ++seq)
            addStep(first, seq, seq * 10, 10.0 - double(seq));
        first.logs.push_back({5, 1.7e9, 0, "info", "warming up"});
        first.checkpoints.push_back({10, 100, "/ck/step-100", 1.25, 1.7e9 + 100});
        history.ingest(first);
        QCOMPARE(numMetrics(history, id), int64_t(18));
        store::RunRecord record = history.run(id);
        QCOMPARE(record.lastSeq, int64_t(10));
        QCOMPARE(record.lastStep, int64_t(100));
        QCOMPARE(record.lastLoss, 0.0);
        QVERIFY(record.state == RunState::Running);
        QCOMPARE(record.startedAt, 1.7e9);
        QCOMPARE(record.configText, *first.configText);  // the trainer's resolved config

        // Delivered again after a reconnect, or by a second client following the run: nothing
        // changes, not even the state the batch carried.
        history.setState(id, RunState::Paused);
        first.configText = "stale";
        history.ingest(first);
        QCOMPARE(history.run(id).configText,
                 std::string("[optim]\nlr = 0.01\nweight_decay = 0.1\n"));
        QCOMPARE(numMetrics(history, id), int64_t(18));
        QCOMPARE(history.logs(id).size(), size_t(1));
        QVERIFY(history.run(id).state == RunState::Paused);

        // A batch that overlaps what is stored adds only its events after seq 10.
        store::IngestBatch overlap;
        overlap.runId = id;
        for (int64_t seq = 6; seq <= 15; ++seq)
            addStep(overlap, seq, seq * 10, 100.0);
        overlap.logs.push_back({5, 1.7e9, 0, "info", "warming up (again)"});
        overlap.logs.push_back({12, 1.7e9, 0, "warning", "loss spike"});
        overlap.checkpoints.push_back({10, 100, "/elsewhere", 9.0, 0});
        overlap.state = RunState::Completed;
        overlap.stateSeq = 15;
        overlap.endedAt = 1.8e9;
        history.ingest(overlap);
        QCOMPARE(numMetrics(history, id), int64_t(28));
        record = history.run(id);
        QCOMPARE(record.lastSeq, int64_t(15));
        QCOMPARE(record.lastStep, int64_t(150));
        QCOMPARE(record.lastLoss, 100.0);
        QVERIFY(record.state == RunState::Completed);
        QCOMPARE(record.endedAt, 1.8e9);
        QCOMPARE(record.startedAt, 1.7e9);
        std::vector<store::LogRow> logs = history.logs(id);
        QCOMPARE(logs.size(), size_t(2));
        QCOMPARE(logs[0].message, std::string("warming up"));
        QCOMPARE(logs[1].level, std::string("warning"));
        QCOMPARE(history.checkpoints(id).at(0).path, std::string("/ck/step-100"));
        std::vector<store::SeriesBucket> loss = history.series(id, "loss", 0, 1000, 100);
        QCOMPARE(loss.size(), size_t(14));
        QCOMPARE(loss[5].minValue, 3.0);  // step 70 kept its first value

        // A new (key, step) twice in one batch, or again in a later one: the first value stays.
        store::IngestBatch twice;
        twice.runId = id;
        addStep(twice, 16, 160, 1.0);
        addStep(twice, 17, 160, 2.0);
        addStep(twice, 18, 150, 3.0);
        history.ingest(twice);
        QCOMPARE(history.series(id, "loss", 160, 160, 1).at(0).minValue, 1.0);
        QCOMPARE(history.series(id, "loss", 150, 150, 1).at(0).minValue, 100.0);
        QCOMPARE(history.run(id).lastSeq, int64_t(18));
        QCOMPARE(history.metricKeys(id), (std::vector<std::string>{"loss", "lr"}));

        QString error = errorOf([&] {
            store::IngestBatch stray;
            stray.runId = 4242;
            history.ingest(stray);
        });
        QVERIFY2(error.contains("no run with id 4242"), qPrintable(error));
    }

    void aResumedRunTruncatesItsTail() {
        RunHistory history(file("resume.db"));
        int64_t id = history.createRun({"run", "local"});
        store::IngestBatch before;
        before.runId = id;
        for (int64_t step = 1; step <= 100; ++step)
            addStep(before, step, step, 1000.0 - step);
        before.metrics.push_back({100, "val_loss", 100, 5.0, 0, 0});
        history.ingest(before);
        QCOMPARE(history.run(id).lastStep, int64_t(100));

        // Resumed from the checkpoint at step 60: the steps after it are trained again.
        store::IngestBatch resumed;
        resumed.runId = id;
        resumed.truncateAfterStep = 60;
        resumed.truncateSeq = 101;
        resumed.state = RunState::Running;
        resumed.stateSeq = 101;
        resumed.lastSeq = 101;
        history.ingest(resumed);
        QCOMPARE(numMetrics(history, id), int64_t(120));
        store::RunRecord record = history.run(id);
        QCOMPARE(record.lastStep, int64_t(60));
        QCOMPARE(record.lastLoss, 940.0);
        QCOMPARE(history.metricKeys(id), (std::vector<std::string>{"loss", "lr"}));

        store::IngestBatch after;
        after.runId = id;
        for (int64_t step = 61; step <= 70; ++step)
            addStep(after, 101 + step, step, -double(step));
        history.ingest(after);
        std::vector<store::SeriesBucket> tail = history.series(id, "loss", 55, 1000, 1000);
        QCOMPARE(tail.size(), size_t(16));
        QCOMPARE(tail[5].minValue, 940.0);
        QCOMPARE(tail[6].minValue, -61.0);
        QCOMPARE(history.run(id).lastLoss, -70.0);

        // The same truncation delivered again must not drop steps 61..70.
        history.ingest(resumed);
        QCOMPARE(history.run(id).lastStep, int64_t(70));
        QCOMPARE(numMetrics(history, id), int64_t(140));
    }

    void checkpointsAndLogsComeBack() {
        RunHistory history(file("checkpoints.db"));
        int64_t id = history.createRun({"run", "local"});
        store::IngestBatch batch;
        batch.runId = id;
        const double nan = std::numeric_limits<double>::quiet_NaN();
        batch.checkpoints = {{3, 200, "/ck/step-200", nan, 20.0},
                             {2, 100, "/ck/step-100", 2.5, 10.0}};
        for (int64_t seq = 1; seq <= 30; ++seq)
            batch.logs.push_back(
                {seq * 2, double(seq), int(seq % 2), "info", fmt::format("line {}", seq)});
        batch.lastSeq = 60;
        history.ingest(batch);
        std::vector<store::CheckpointRow> checkpoints = history.checkpoints(id);
        QCOMPARE(checkpoints.size(), size_t(2));
        QCOMPARE(checkpoints[0].step, int64_t(100));
        QCOMPARE(checkpoints[0].seq, int64_t(2));
        QCOMPARE(checkpoints[0].valLoss, 2.5);
        QCOMPARE(checkpoints[1].path, std::string("/ck/step-200"));
        QVERIFY(std::isnan(checkpoints[1].valLoss));
        QCOMPARE(checkpoints[1].savedAt, 20.0);

        // A checkpoint written again at the same step (a resumed run) replaces the row.
        store::IngestBatch again;
        again.runId = id;
        again.checkpoints = {{61, 200, "/ck2/step-200", 1.5, 30.0}};
        again.lastSeq = 61;
        history.ingest(again);
        checkpoints = history.checkpoints(id);
        QCOMPARE(checkpoints.size(), size_t(2));
        QCOMPARE(checkpoints[1].path, std::string("/ck2/step-200"));
        QCOMPARE(checkpoints[1].valLoss, 1.5);

        std::vector<store::LogRow> logs = history.logs(id, 40, 5);
        QCOMPARE(logs.size(), size_t(5));
        QCOMPARE(logs[0].seq, int64_t(42));
        QCOMPARE(logs[0].message, std::string("line 21"));
        QCOMPARE(logs[0].rank, 1);
        QCOMPARE(logs[4].seq, int64_t(50));
        QCOMPARE(history.logs(id).size(), size_t(30));
        QCOMPARE(history.logs(id, 60).size(), size_t(0));
    }

    void eventsTheLogLostAreDroppedWhenItIsResumed() {
        RunHistory history(file("lost.db"));
        int64_t id = history.createRun({"run", "local"});
        store::IngestBatch before;
        before.runId = id;
        for (int64_t step = 1; step <= 20; ++step)
            addStep(before, step, step, 100.0 - step);
        before.checkpoints = {{10, 10, "checkpoints/step-0000010", 1.0, 10.0},
                              {20, 20, "checkpoints/step-0000020", 1.0, 20.0}};
        for (int64_t seq : {5, 15})
            before.logs.push_back({seq, double(seq), 0, "info", fmt::format("at {}", seq)});
        history.ingest(before);

        // A power loss took everything after seq 10 from the log; the resumed run (from step 10)
        // numbers on past every seq given before.
        store::IngestBatch resumed;
        resumed.runId = id;
        resumed.truncateAfterStep = 10;
        resumed.truncateSeq = 4097;
        resumed.lostSeqs = {10, 4097};
        resumed.lastSeq = 4097;
        history.ingest(resumed);
        QCOMPARE(history.run(id).lastStep, int64_t(10));
        std::vector<store::CheckpointRow> checkpoints = history.checkpoints(id);
        QCOMPARE(checkpoints.size(), size_t(1));
        QCOMPARE(checkpoints[0].step, int64_t(10));
        std::vector<store::LogRow> logs = history.logs(id);
        QCOMPARE(logs.size(), size_t(1));
        QCOMPARE(logs[0].seq, int64_t(5));
    }

    void rolloutsAreKeptPerStep() {
        RunHistory history(file("rollouts.db"));
        int64_t id = history.createRun({"run", "local"});
        store::IngestBatch batch;
        batch.runId = id;
        for (int64_t step = 1; step <= 5; ++step)
            batch.rollouts.push_back(
                {step, step * 2, fmt::format(R"({{"step":{},"samples":[]}})", step * 2)});
        batch.lastSeq = 5;
        history.ingest(batch);
        QCOMPARE(history.rolloutSteps(id), (std::vector<int64_t>{2, 4, 6, 8, 10}));
        QCOMPARE(history.rolloutSteps(id, 6), (std::vector<int64_t>{8, 10}));
        std::optional<store::RolloutRow> row = history.rollouts(id, 6);
        QVERIFY(row);
        QCOMPARE(row->seq, int64_t(3));
        QCOMPARE(row->dataJson, std::string(R"({"step":6,"samples":[]})"));
        QVERIFY(!history.rollouts(id, 7));

        // Delivered again (a reconnect): nothing changes.
        history.ingest(batch);
        QCOMPARE(history.rolloutSteps(id).size(), size_t(5));

        // Resumed from step 4: steps 6.. are sampled again, and the new samples replace them.
        store::IngestBatch resumed;
        resumed.runId = id;
        resumed.truncateAfterStep = 4;
        resumed.truncateSeq = 6;
        resumed.rollouts = {{7, 6, R"({"step":6,"samples":[{"reward":1}]})"}};
        resumed.lastSeq = 7;
        history.ingest(resumed);
        QCOMPARE(history.rolloutSteps(id), (std::vector<int64_t>{2, 4, 6}));
        QCOMPARE(history.rollouts(id, 6)->dataJson,
                 std::string(R"({"step":6,"samples":[{"reward":1}]})"));

        // They go with the run.
        history.deleteRun(id);
        QVERIFY(history.rolloutSteps(id).empty());
    }

    void configsDiffKeyByKey() {
        RunHistory history(file("diff.db"));
        store::NewRun left{"left", "local", "pretrain", R"(
[model]
d_model = 256
layers = 4
"odd key" = "x"
[optim]
lr = 3e-4
betas = [0.9, 0.95]
[[data.sources]]
path = "a.jsonl"
[[data.sources]]
path = "b.jsonl"
)"};
        store::NewRun right{"right", "local", "pretrain", R"(
[model]
d_model = 256
layers = 8
[optim]
lr = 1e-4
betas = [0.9, 0.95]
warmup = 100
[[data.sources]]
path = "a.jsonl"
[[data.sources]]
path = "c.jsonl"
)"};
        int64_t l = history.createRun(left);
        int64_t r = history.createRun(right);
        std::vector<store::ConfigDifference> differences = history.diffConfigs(l, r);
        QStringList text;
        for (const store::ConfigDifference& d : differences)
            text << QString::fromStdString(d.key + " | " + d.left + " | " + d.right);
        QCOMPARE(text, QStringList({
                           "data.sources.1.path | \"b.jsonl\" | \"c.jsonl\"",
                           "model.\"odd key\" | \"x\" | ",
                           "model.layers | 4 | 8",
                           "optim.lr | 0.0003 | 0.0001",
                           "optim.warmup |  | 100",
                       }));
        QVERIFY(history.diffConfigs(l, l).empty());
        std::vector<store::ConfigDifference> all = history.diffConfigs(l, l, true);
        QVERIFY(!all.empty());
        QVERIFY(std::all_of(all.begin(), all.end(), [](const auto& d) { return d.same(); }));

        int64_t broken = history.createRun({"broken", "local", "pretrain", "[optim\nlr = 1\n"});
        QString error = errorOf([&] { history.diffConfigs(l, broken); });
        QVERIFY2(error.contains(QString("run.toml of run %1 (broken):1:").arg(broken)),
                 qPrintable(error));
        error = errorOf([&] { history.diffConfigs(l, 999); });
        QVERIFY2(error.contains("no run with id 999"), qPrintable(error));
    }

    void metricsExportAsCsv() {
        RunHistory history(file("csv.db"));
        int64_t id = history.createRun({"run", "local"});
        store::IngestBatch batch;
        batch.runId = id;
        batch.metrics = {
            {1, "loss", 2, 0.5, 1700000000.25, 0},
            {1, "loss", 1, 0.1, 1700000000.125, 0},
            {2, "eval,\"quoted\"", 1, std::numeric_limits<double>::quiet_NaN(), 1.5, 1},
            {3, "lr", 1, 1e-05, 2, 0},
        };
        batch.lastSeq = 3;
        history.ingest(batch);
        fs::path out = file("metrics.csv");
        history.exportMetricsCsv(id, out);
        QCOMPARE(readFile(out), std::string("key,step,value,wall_time,rank\n"
                                            "\"eval,\"\"quoted\"\"\",1,nan,1.5,1\n"
                                            "loss,1,0.1,1700000000.125,0\n"
                                            "loss,2,0.5,1700000000.25,0\n"
                                            "lr,1,1e-05,2,0\n"));
        for (const auto& entry : fs::directory_iterator(out.parent_path()))
            QVERIFY2(entry.path().filename().string().find(".tmp-") == std::string::npos,
                     entry.path().c_str());
        QString error = errorOf([&] { history.exportMetricsCsv(55, file("none.csv")); });
        QVERIFY2(error.contains("no run with id 55"), qPrintable(error));
        QVERIFY(!fs::exists(file("none.csv")));
    }

    void metricRowsComeInPagesAfterAStep() {
        RunHistory history(file("rows.db"));
        int64_t id = history.createRun({"run", "local"});
        store::IngestBatch batch;
        batch.runId = id;
        for (int step = -2; step <= 7; ++step)
            batch.metrics.push_back({step + 3, "loss", step, 1.0 / (step + 3), 100.0 + step, 1});
        batch.lastSeq = 10;
        history.ingest(batch);
        std::vector<int64_t> steps;
        for (auto page = history.metricRows(id, "loss", INT64_MIN, 4); !page.empty();
             page = history.metricRows(id, "loss", page.back().step, 4)) {
            QVERIFY(page.size() <= 4);
            for (const store::MetricRow& row : page) {
                QCOMPARE(row.key, std::string("loss"));
                QCOMPARE(row.value, 1.0 / double(row.step + 3));
                QCOMPARE(row.wallTime, 100.0 + double(row.step));
                QCOMPARE(row.rank, 1);
                steps.push_back(row.step);
            }
        }
        QCOMPARE(steps, (std::vector<int64_t>{-2, -1, 0, 1, 2, 3, 4, 5, 6, 7}));
        QVERIFY(history.metricRows(id, "lr", INT64_MIN, 4).empty());
    }

    void datasetsAndTokenizersUpsertByPath() {
        RunHistory history(file("datasets.db"));
        history.recordDataset({"datasets/web", "abc", R"({"documents": 10})"});
        history.recordDataset({"datasets/code", "def", "{}"});
        history.recordDataset({"datasets/web", "abd", R"({"documents": 12})"});
        std::vector<store::DatasetRecord> datasets = history.datasets();
        QCOMPARE(datasets.size(), size_t(2));
        QCOMPARE(datasets[1].path, std::string("datasets/web"));
        QCOMPARE(datasets[1].fingerprint, std::string("abd"));
        QCOMPARE(datasets[1].statsJson, std::string(R"({"documents": 12})"));
        history.recordTokenizer({"tokenizers/bpe-32k.json", "f00", "{}"});
        QCOMPARE(history.tokenizers().size(), size_t(1));
        QVERIFY(history.datasets().size() == 2);
    }

    void aBackupIsConsistentWhileAnotherConnectionWrites() {
        const fs::path path = file("live.db");
        RunHistory history(path);
        int64_t id = history.createRun({"run", "local"});
        store::IngestBatch batch;
        batch.runId = id;
        for (int64_t step = 1; step <= 2000; ++step)
            addStep(batch, step, step, 1.0 / double(step));
        history.ingest(batch);

        // Another connection is mid-transaction: its run is not committed when the backup runs.
        RunHistory writer(path);
        const fs::path copy = file("backup.db");
        {
            store::Transaction open(writer.database());
            writer.database()
                .prepare("INSERT INTO runs (name, host, created_at) VALUES ('pending', 'local', 0)")
                .run();
            history.backup(copy);
            open.commit();
        }
        QVERIFY(!fs::exists(file("backup.db.partial")));
        {
            RunHistory restored(copy);
            QCOMPARE(restored.listRuns().size(), size_t(1));
            QCOMPARE(restored.run(id).lastStep, int64_t(2000));
            QCOMPARE(numMetrics(restored, id), int64_t(4000));
            QCOMPARE(restored.series(id, "loss", 0, 5000, 10).front().maxValue, 1.0);
        }
        // A backup over an older one replaces it whole.
        history.backup(copy);
        RunHistory restored(copy);
        QCOMPARE(restored.listRuns().size(), size_t(2));
    }

    void badInputGetsOneLineErrors() {
        RunHistory history(file("errors.db"));
        QString error = errorOf([&] { history.run(42); });
        QVERIFY2(error.endsWith("errors.db: no run with id 42"), qPrintable(error));
        error = errorOf([&] { store::parseRunState("bogus"); });
        QVERIFY2(error.startsWith("unknown run state 'bogus' (expected created, running"),
                 qPrintable(error));
        QVERIFY(store::parseRunState("interrupted") == RunState::Interrupted);
        for (RunState state : {RunState::Created, RunState::Failed, RunState::Paused})
            QVERIFY(store::parseRunState(store::runStateName(state)) == state);
        error = errorOf([&] { history.backup(file("missing/dir/backup.db")); });
        QVERIFY2(error.contains("cannot back up to"), qPrintable(error));
        QVERIFY(!error.contains('\n'));
    }
};

QTEST_GUILESS_MAIN(TestRunHistory)
#include "tst_run_history.moc"
