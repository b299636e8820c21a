// The SQLite connection layer on a real database file: the pragmas take effect, values of every
// type round-trip through bound parameters (quotes and all, never spliced into SQL), foreign
// keys are enforced, transactions roll back unless committed, a second writer waits for the
// busy timeout and then fails with a message naming the file, and bad SQL names the file too.
#include "core/store/database.h"
#include "tests/error_of.h"

#include <QtTest>

#include <chrono>

using namespace strata;
using store::Database;
namespace fs = std::filesystem;

namespace {

std::string pragma(Database& db, const char* name) {
    store::Statement statement = db.prepare(std::string("PRAGMA ") + name);
    statement.step();
    return statement.columnText(0);
}

}  // namespace

class TestDatabase : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path file(const char* name) const { return fs::path(m_tmp.path().toStdString()) / name; }

private slots:
    void pragmasTakeEffect() {
        Database normal(file("normal.db"));
        QCOMPARE(pragma(normal, "journal_mode"), std::string("wal"));
        QCOMPARE(pragma(normal, "foreign_keys"), std::string("1"));
        QCOMPARE(pragma(normal, "synchronous"), std::string("1"));  // NORMAL
        Database full(file("full.db"), {store::Durability::Full});
        QCOMPARE(pragma(full, "synchronous"), std::string("2"));  // FULL
        QVERIFY(fs::exists(file("normal.db")));
    }

    void boundValuesRoundTrip() {
        Database db(file("values.db"));
        db.exec("CREATE TABLE t (i INTEGER, d REAL, s TEXT, n TEXT)");
        const std::string tricky = "it's \"quoted\"; DROP TABLE t; -- 训练 🎉";
        db.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4)")
            .bind(1, int64_t(1) << 40)
            .bind(2, 0.1)
            .bind(3, tricky)
            .bindNull(4)
            .run();
        QCOMPARE(db.lastInsertRowId(), int64_t(1));
        store::Statement select = db.prepare("SELECT i, d, s, n FROM t WHERE s = ?1");
        select.bind(1, tricky);
        QVERIFY(select.step());
        QCOMPARE(select.columnInt(0), int64_t(1) << 40);
        QCOMPARE(select.columnDouble(1), 0.1);
        QCOMPARE(select.columnText(2), tricky);
        QVERIFY(select.columnIsNull(3));
        QVERIFY(!select.step());
    }

    void foreignKeysAreEnforced() {
        Database db(file("fk.db"));
        db.exec(
            "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
            "CREATE TABLE child (parent INTEGER NOT NULL REFERENCES parent(id))");
        QString error =
            errorOf([&] { db.prepare("INSERT INTO child VALUES (?1)").bind(1, 7).run(); });
        QVERIFY2(error.contains("fk.db") && error.contains("FOREIGN KEY constraint failed"),
                 qPrintable(error));
    }

    void transactionsRollBackUnlessCommitted() {
        Database db(file("tx.db"));
        db.exec("CREATE TABLE t (x INTEGER)");
        {
            store::Transaction transaction(db);
            db.prepare("INSERT INTO t VALUES (1)").run();
        }  // no commit
        {
            store::Transaction transaction(db);
            db.prepare("INSERT INTO t VALUES (2)").run();
            transaction.commit();
        }
        store::Statement count = db.prepare("SELECT group_concat(x) FROM t");
        QVERIFY(count.step());
        QCOMPARE(count.columnText(0), std::string("2"));
    }

    void aSecondWriterWaitsThenFails() {
        Database first(file("busy.db"));
        first.exec("CREATE TABLE t (x INTEGER)");
        Database second(file("busy.db"), {store::Durability::Normal, 200});
        store::Transaction holding(first);
        auto start = std::chrono::steady_clock::now();
        QString error = errorOf([&] { store::Transaction waiting(second); });
        auto waited = std::chrono::steady_clock::now() - start;
        QVERIFY2(error.contains("busy.db") && error.contains("locked"), qPrintable(error));
        QVERIFY(waited >= std::chrono::milliseconds(150));
        holding.commit();
        store::Transaction now(second);  // free again
        now.commit();
    }

    void badSqlAndMissingFilesNameTheFile() {
        Database db(file("bad.db"));
        QString error = errorOf([&] { db.prepare("SELEC nothing"); });
        QVERIFY2(error.contains("bad.db") && error.contains("syntax error"), qPrintable(error));
        error = errorOf([&] { Database(file("missing/dir/x.db")); });
        QVERIFY2(error.contains("cannot open the database"), qPrintable(error));
        error = errorOf([&] {
            Database(file("absent.db"), {store::Durability::Normal, 100, true});
        });
        QVERIFY2(error.contains("absent.db: cannot open the database"), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
