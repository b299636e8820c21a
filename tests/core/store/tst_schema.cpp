// The run history's schema on real files: a database left at every earlier version, holding the
// rows that version could hold, migrates forward when RunHistory opens it, and keeps them; the
// version 2 backfill builds the same tiles and last step and loss that ingest maintains (the SQL
// spelling of the tile geometry agrees with metric_series.h, negative steps included); a
// database from a newer Strata is refused with an error naming the file; two connections opening
// a new file at once migrate it once; deleting a run takes its rows along, and states outside
// the list are refused.
#include "core/store/label_store.h"
#include "core/store/run_history.h"
#include "core/store/schema.h"
#include "tests/core/store/series_check.h"
#include "tests/error_of.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <thread>

using namespace strata;
using store::SeriesPoint;
namespace fs = std::filesystem;

namespace {

int64_t count(store::Database& db, const std::string& table) {
    // Table names come from this test's fixed list, never from input.
    store::Statement select = db.prepare("SELECT count(*) FROM " + table);
    select.step();
    return select.columnInt(0);
}

// A series with negative steps, NaN values and a gap, as a version 1 Strata stored it.
std::vector<SeriesPoint> oldSeries() {
    std::vector<SeriesPoint> points;
    for (int64_t step = -20; step < 5000; ++step) {
        if (step >= 1000 && step < 1300) continue;
        double value = std::sin(double(step) / 50.0) + double(step % 7) * 0.01;
        if (step % 101 == 0) value = std::numeric_limits<double>::quiet_NaN();
        points.push_back({step, value});
    }
    return points;
}

// The rows a database at `version` can hold, written with plain SQL the way that version did.
void fillAtVersion(store::Database& db, int version, const std::vector<SeriesPoint>& loss) {
    db.exec(
        "INSERT INTO runs (id, name, host, stage, state, config_text, created_at, last_seq) "
        "VALUES (1, 'old-run', 'local', 'pretrain', 'completed', 'lr = 1', 1.6e9, 9000);"
        "INSERT INTO run_tags VALUES (1, 'kept');"
        "INSERT INTO metric_keys (id, name) VALUES (1, 'lr'), (2, 'loss');"
        "INSERT INTO checkpoints (run_id, step, path, val_loss, saved_at) "
        "VALUES (1, 4000, '/ck/step-4000', 2.5, 1.6e9);"
        "INSERT INTO log_events VALUES (1, 7, 1.6e9, 0, 'info', 'hello');"
        "INSERT INTO datasets (path, fingerprint, recorded_at) VALUES ('datasets/web', 'f', 0)");
    store::Statement insert = db.prepare(
        "INSERT INTO metrics (run_id, key_id, step, value, wall_time) VALUES (1, ?1, ?2, ?3, 0)");
    for (const SeriesPoint& point : loss) {
        insert.bind(1, 2).bind(2, point.step).bind(3, point.value).run();
        insert.bind(1, 1).bind(2, point.step).bind(3, 3e-4).run();
    }
    if (version < 2) return;
    // Version 2 kept tiles and the run's last step and loss at ingest.
    std::vector<SeriesPoint> finite;
    for (const SeriesPoint& point : loss)
        if (!std::isnan(point.value)) finite.push_back(point);
    store::Statement tile = db.prepare(
        "INSERT INTO metric_tiles VALUES "
        "(1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    for (int64_t keyId : {1, 2}) {
        std::vector<SeriesPoint> lr;
        for (const SeriesPoint& point : loss)
            lr.push_back({point.step, 3e-4});
        for (const store::Tile& t : store::buildTiles(keyId == 2 ? finite : lr)) {
            const store::SeriesBucket& s = t.summary;
            tile.bind(1, keyId)
                .bind(2, t.level)
                .bind(3, t.index)
                .bind(4, s.firstStep)
                .bind(5, s.lastStep)
                .bind(6, s.minValue)
                .bind(7, s.maxValue)
                .bind(8, s.firstValue)
                .bind(9, s.lastValue)
                .bind(10, s.count)
                .run();
        }
    }
    db.prepare("UPDATE runs SET last_step = ?1, last_loss = ?2 WHERE id = 1")
        .bind(1, loss.back().step)
        .bind(2, loss.back().value)
        .run();
}

}  // namespace

class TestSchema : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path file(const QString& name) const {
        return fs::path(m_tmp.filePath(name).toStdString());
    }

private slots:
    void theMigrationsComeInOrder() {
        std::span<const store::Migration> migrations = store::runHistoryMigrations();
        QVERIFY(migrations.size() >= 3);
        for (size_t i = 0; i < migrations.size(); ++i)
            QCOMPARE(migrations[i].version, int(i) + 1);
        store::RunHistory history(file("new.db"));
        QCOMPARE(history.database().userVersion(), int(migrations.size()));
    }

    void everyEarlierVersionMigratesForward_data() {
        QTest::addColumn<int>("from");
        for (int version = 0; version < int(store::runHistoryMigrations().size()); ++version)
            QTest::newRow(qPrintable(QString("from %1").arg(version))) << version;
    }
    void everyEarlierVersionMigratesForward() {
        QFETCH(int, from);
        const fs::path path = file(QString("from-%1.db").arg(from));
        const std::vector<SeriesPoint> loss = oldSeries();
        {
            store::Database db(path);
            store::migrate(db, store::runHistoryMigrations().first(size_t(from)));
            QCOMPARE(db.userVersion(), from);
            if (from >= 1) fillAtVersion(db, from, loss);
        }
        store::RunHistory history(path);  // reopened by this build
        QCOMPARE(history.database().userVersion(), int(store::runHistoryMigrations().size()));
        if (from == 0) {
            QVERIFY(history.listRuns().empty());
            return;
        }
        store::RunRecord run = history.run(1);
        QCOMPARE(run.name, std::string("old-run"));
        QVERIFY(run.state == store::RunState::Completed);
        QCOMPARE(run.tags, (std::vector<std::string>{"kept"}));
        QCOMPARE(run.lastSeq, int64_t(9000));
        QCOMPARE(run.lastStep, int64_t(4999));
        QCOMPARE(run.lastLoss, loss.back().value);
        QCOMPARE(history.metricKeys(1), (std::vector<std::string>{"loss", "lr"}));
        QCOMPARE(history.checkpoints(1).at(0).path, std::string("/ck/step-4000"));
        QCOMPARE(history.logs(1).at(0).message, std::string("hello"));
        QCOMPARE(history.datasets().at(0).path, std::string("datasets/web"));

        std::string failure = series_check::checkTiles(history.database(), 1, "loss", loss);
        QVERIFY2(failure.empty(), failure.c_str());
        for (auto [fromStep, toStep] : {std::pair<int64_t, int64_t>{-100, 10'000},
                                        {-17, 3},
                                        {900, 1400},
                                        {0, std::numeric_limits<int64_t>::max()}})
            for (int width : {1, 50, 1000}) {
                failure = series_check::check(loss, fromStep, toStep, width,
                                              history.series(1, "loss", fromStep, toStep, width));
                QVERIFY2(failure.empty(), failure.c_str());
            }

        // The run goes on ingesting on top of the migrated rows.
        store::IngestBatch batch;
        batch.runId = 1;
        batch.metrics.push_back({9001, "loss", 5000, 0.25, 0, 0});
        batch.lastSeq = 9001;
        history.ingest(batch);
        QCOMPARE(history.run(1).lastLoss, 0.25);
        std::vector<SeriesPoint> extended = loss;
        extended.push_back({5000, 0.25});
        failure = series_check::checkTiles(history.database(), 1, "loss", extended);
        QVERIFY2(failure.empty(), failure.c_str());

        // The newest version's tables and columns are there too.
        QVERIFY(run.jobId.empty() && run.jobState.empty());
        history.setJob(1, "4242", "PENDING (Priority)");
        QCOMPARE(history.run(1).jobState, std::string("PENDING (Priority)"));
        store::LabelStore labels(path);
        QCOMPARE(labels.addPairs({{0, "p", "a", "b"}}).size(), size_t(1));
    }

    void aNewerDatabaseIsRefused() {
        const fs::path path = file("newer.db");
        {
            store::Database db(path);
            db.setUserVersion(int(store::runHistoryMigrations().size()) + 1);
        }
        QString error = errorOf([&] { store::RunHistory history(path); });
        QVERIFY2(error.contains("newer.db") && error.contains("written by a newer Strata"),
                 qPrintable(error));
        error = errorOf([&] { store::LabelStore labels(path); });
        QVERIFY2(error.contains("newer.db") && error.contains("written by a newer Strata"),
                 qPrintable(error));
    }

    void twoConnectionsOpeningANewFileMigrateItOnce() {
        for (int i = 0; i < 10; ++i) {
            const fs::path path = file(QString("race-%1.db").arg(i));
            QString otherError;
            std::thread other(
                [&] { otherError = errorOf([&] { store::LabelStore labels(path); }); });
            QString error = errorOf([&] { store::RunHistory history(path); });
            other.join();
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QVERIFY2(otherError.isEmpty(), qPrintable(otherError));
        }
    }

    void deletingARunTakesItsRowsAlong() {
        const fs::path path = file("cascade.db");
        store::RunHistory history(path);
        int64_t parent = history.createRun({"parent", "local"});
        store::NewRun child{"child", "local"};
        child.parentRunId = parent;
        child.tags = {"t"};
        int64_t childId = history.createRun(child);
        store::IngestBatch batch;
        batch.runId = childId;
        batch.metrics = {{1, "loss", 1, 1.0, 0, 0}};
        batch.logs = {{2, 0, 0, "info", "x"}};
        batch.checkpoints = {{3, 1, "/ck", 1.0, 0}};
        batch.lastSeq = 3;
        history.ingest(batch);
        store::Database& db = history.database();
        db.prepare("DELETE FROM runs WHERE id = ?1").bind(1, childId).run();
        for (const char* table :
             {"run_tags", "metrics", "metric_tiles", "log_events", "checkpoints"})
            QVERIFY2(count(db, table) == 0, table);
        // A parent's deletion leaves its children, unlinked.
        int64_t second = history.createRun(child);
        db.prepare("DELETE FROM runs WHERE id = ?1").bind(1, parent).run();
        QVERIFY(!history.run(second).parentRunId);

        QString error = errorOf([&] {
            db.exec(
                "INSERT INTO runs (name, host, state, created_at) VALUES ('x', 'y', 'bogus', 0)");
        });
        QVERIFY2(error.contains("CHECK constraint failed"), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestSchema)
#include "tst_schema.moc"
