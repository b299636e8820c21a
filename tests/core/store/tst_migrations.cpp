// Schema migrations on a real file: every earlier version migrates forward to the newest, a
// failing step leaves the database at the last complete version with nothing half-applied, a
// database from a newer Strata is refused untouched, and migrations must come in order.
#include "core/store/migrations.h"
#include "tests/error_of.h"

#include <QtTest>

using namespace strata;
namespace fs = std::filesystem;

namespace {

const store::Migration kMigrations[] = {
    {1, "CREATE TABLE runs (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"},
    {2, "ALTER TABLE runs ADD COLUMN status TEXT NOT NULL DEFAULT 'created'"},
    {3,
     "CREATE TABLE metrics (run INTEGER NOT NULL REFERENCES runs(id), step INTEGER, value REAL);"
     "CREATE INDEX metrics_by_run ON metrics(run, step)"},
};

bool hasColumn(store::Database& db, const char* table, const char* column) {
    store::Statement statement = db.prepare("SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2");
    statement.bind(1, table).bind(2, column);
    return statement.step();
}

}  // namespace

class TestMigrations : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path file(const QString& name) const {
        return fs::path(m_tmp.filePath(name).toStdString());
    }

private slots:
    void everyEarlierVersionMigratesForward_data() {
        QTest::addColumn<int>("from");
        for (int version = 0; version <= 3; ++version)
            QTest::newRow(qPrintable(QString("from %1").arg(version))) << version;
    }
    void everyEarlierVersionMigratesForward() {
        QFETCH(int, from);
        fs::path path = file(QString("from-%1.db").arg(from));
        {
            store::Database db(path);
            store::migrate(db, std::span(kMigrations, size_t(from)));
            QCOMPARE(db.userVersion(), from);
            if (from >= 1) db.prepare("INSERT INTO runs (name) VALUES (?1)").bind(1, "kept").run();
        }
        store::Database db(path);  // reopened, as a later Strata would
        QCOMPARE(store::migrate(db, kMigrations), 3);
        QCOMPARE(db.userVersion(), 3);
        QVERIFY(hasColumn(db, "runs", "status"));
        QVERIFY(hasColumn(db, "metrics", "value"));
        if (from >= 1) {
            store::Statement row = db.prepare("SELECT name, status FROM runs");
            QVERIFY(row.step());
            QCOMPARE(row.columnText(0), std::string("kept"));
            QCOMPARE(row.columnText(1), std::string("created"));
        }
    }

    void aFailingStepLeavesTheLastCompleteVersion() {
        const store::Migration broken[] = {
            kMigrations[0],
            {2, "ALTER TABLE runs ADD COLUMN notes TEXT; CREATE TABLE oops (x REFERENCES"},
        };
        store::Database db(file("broken.db"));
        QString error = errorOf([&] { store::migrate(db, broken); });
        QVERIFY2(error.contains("broken.db"), qPrintable(error));
        QCOMPARE(db.userVersion(), 1);
        QVERIFY(!hasColumn(db, "runs", "notes"));  // the half of step 2 that ran is rolled back
    }

    void aNewerDatabaseIsRefused() {
        store::Database db(file("newer.db"));
        store::migrate(db, kMigrations);
        QString error = errorOf([&] { store::migrate(db, std::span(kMigrations, 2)); });
        QVERIFY2(error.contains("schema version 3 was written by a newer Strata (this one knows "
                                "up to 2)"),
                 qPrintable(error));
        QCOMPARE(db.userVersion(), 3);
    }

    void migrationsMustBeInOrder() {
        const store::Migration gap[] = {kMigrations[0], kMigrations[2]};
        store::Database db(file("gap.db"));
        QString error = errorOf([&] { store::migrate(db, gap); });
        QVERIFY2(error.contains("migration 3 is out of order (expected version 2)"),
                 qPrintable(error));
        QCOMPARE(db.userVersion(), 0);
    }
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
