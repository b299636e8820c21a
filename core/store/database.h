// The SQLite connection the run history is built on: a RAII handle with the pragmas every Strata
// database uses (WAL journal, foreign keys on, a busy timeout, a chosen synchronous level),
// prepared statements with typed binding, and BEGIN IMMEDIATE transactions that roll back unless
// committed. SQL text is always fixed by the code; values only ever reach SQLite through bind(),
// never spliced into SQL. Every failure is a common::Error naming the database file and SQLite's
// message.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace strata::store {

// How durable a commit is: Full survives power loss (the labels annotators give), Normal may
// lose the last commits on power loss but never corrupts (metrics, which the run folder replays).
enum class Durability { Normal, Full };

struct DatabaseOptions {
    Durability durability = Durability::Normal;
    int busyTimeoutMs = 5000;  // how long a writer waits for another connection's lock
    bool readOnly = false;
};

class Statement;

class Database {
public:
    // Opens (creating unless read-only) the database file and applies the options.
    explicit Database(const std::filesystem::path& path, const DatabaseOptions& options = {});
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs fixed SQL (schema, pragmas); never SQL built from user input.
    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);
    int64_t lastInsertRowId() const;
    // Rows the last INSERT, UPDATE or DELETE changed (0 for an insert its conflict clause
    // skipped).
    int64_t changes() const;
    int userVersion();
    void setUserVersion(int version);

    const std::filesystem::path& path() const { return m_path; }
    sqlite3* handle() const { return m_db; }
    // Throws common::Error for SQLite result `code` with this database's message and `context`.
    [[noreturn]] void fail(int code, std::string_view context) const;

private:
    void enterWalMode(int busyTimeoutMs);

    std::filesystem::path m_path;
    sqlite3* m_db = nullptr;
    int m_busyTimeoutMs = 0;
};

class Statement {
public:
    Statement(Database& database, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement& operator=(Statement&&) = delete;

    // Parameters are 1-based, as in SQLite.
    Statement& bind(int index, int64_t value);
    Statement& bind(int index, int value) { return bind(index, int64_t(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bindNull(int index);

    // Advances to the next row: true when one is ready, false when done.
    bool step();
    // Runs a statement that returns no rows.
    void run();
    // Ready for new bindings and another run.
    void reset();

    int64_t columnInt(int column) const;
    double columnDouble(int column) const;
    // A REAL column that may be NULL, which is how SQLite stores a NaN bound to it: NULL reads
    // back as NaN.
    double columnRealOrNaN(int column) const;
    std::string columnText(int column) const;
    bool columnIsNull(int column) const;

private:
    Database* m_database;
    sqlite3_stmt* m_statement = nullptr;
};

// BEGIN IMMEDIATE on construction (the write lock is taken at once, so two writers queue on the
// busy timeout instead of failing mid-transaction); ROLLBACK unless commit() was called.
class Transaction {
public:
    explicit Transaction(Database& database);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& m_database;
    bool m_open = true;
};

}  // namespace strata::store
