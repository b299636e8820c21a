#include "core/store/database.h"

#include "core/common/error.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <limits>

namespace strata::store {

namespace {

// SQLite's own busy timeout sleeps up to 100 ms between tries. Writers here hold the lock for a
// label or an ingest batch, a millisecond or so, so a waiting writer tries again every
// millisecond: a wait costs about what the other transaction takes, which keeps an annotator's
// commit fast while a run streams into the same file. `timeoutMs` points at the Database's
// busy timeout; each try sleeps at least 1 ms, so `tries` is a lower bound on the time waited.
int retryEveryMillisecond(void* timeoutMs, int tries) {
    if (tries >= *static_cast<const int*>(timeoutMs)) return 0;
    sqlite3_sleep(1);
    return 1;
}

}  // namespace

Database::Database(const std::filesystem::path& path, const DatabaseOptions& options)
    : m_path(path), m_busyTimeoutMs(options.busyTimeoutMs) {
    int flags =
        options.readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int code = sqlite3_open_v2(path.c_str(), &m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (code != SQLITE_OK) {
        std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(code);
        sqlite3_close(m_db);
        m_db = nullptr;
        common::fail("{}: cannot open the database: {}", path.string(), message);
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_handler(m_db, retryEveryMillisecond, &m_busyTimeoutMs);
    exec("PRAGMA foreign_keys = ON");
    if (!options.readOnly) enterWalMode(options.busyTimeoutMs);
    exec(options.durability == Durability::Full ? "PRAGMA synchronous = FULL"
                                                : "PRAGMA synchronous = NORMAL");
}

void Database::enterWalMode(int busyTimeoutMs) {
    // Turning a new file to WAL takes an exclusive lock, and SQLite answers "busy" at once rather
    // than calling the busy handler when another connection is opening the same file: wait here.
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(busyTimeoutMs);
    for (;;) {
        int code = sqlite3_exec(m_db, "PRAGMA journal_mode = WAL", nullptr, nullptr, nullptr);
        if (code == SQLITE_OK) return;
        if ((code & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline)
            fail(code, "in: PRAGMA journal_mode = WAL");
        sqlite3_sleep(5);
    }
}

Database::~Database() {
    sqlite3_close_v2(m_db);
}

void Database::fail(int code, std::string_view context) const {
    std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(code);
    common::fail("{}: {} ({})", m_path.string(), message, context);
}

void Database::exec(std::string_view sql) {
    char* error = nullptr;
    int code = sqlite3_exec(m_db, std::string(sql).c_str(), nullptr, nullptr, &error);
    if (code == SQLITE_OK) return;
    std::string message = error ? error : sqlite3_errstr(code);
    sqlite3_free(error);
    common::fail("{}: {} (in: {:.60})", m_path.string(), message, sql);
}

Statement Database::prepare(std::string_view sql) {
    return Statement(*this, sql);
}

int64_t Database::lastInsertRowId() const {
    return sqlite3_last_insert_rowid(m_db);
}

int64_t Database::changes() const {
    return sqlite3_changes64(m_db);
}

int Database::userVersion() {
    Statement statement(*this, "PRAGMA user_version");
    statement.step();
    return int(statement.columnInt(0));
}

void Database::setUserVersion(int version) {
    // PRAGMA takes no parameters; the value is an integer the code chose, never user text.
    exec(fmt::format("PRAGMA user_version = {}", version));
}

Statement::Statement(Database& database, std::string_view sql) : m_database(&database) {
    int code =
        sqlite3_prepare_v2(database.handle(), sql.data(), int(sql.size()), &m_statement, nullptr);
    if (code != SQLITE_OK) database.fail(code, fmt::format("in: {:.60}", sql));
}

Statement::~Statement() {
    sqlite3_finalize(m_statement);
}

Statement::Statement(Statement&& other) noexcept
    : m_database(other.m_database), m_statement(other.m_statement) {
    other.m_statement = nullptr;
}

Statement& Statement::bind(int index, int64_t value) {
    int code = sqlite3_bind_int64(m_statement, index, value);
    if (code != SQLITE_OK) m_database->fail(code, fmt::format("binding parameter {}", index));
    return *this;
}

Statement& Statement::bind(int index, double value) {
    int code = sqlite3_bind_double(m_statement, index, value);
    if (code != SQLITE_OK) m_database->fail(code, fmt::format("binding parameter {}", index));
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    int code = sqlite3_bind_text64(m_statement, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                   SQLITE_UTF8);
    if (code != SQLITE_OK) m_database->fail(code, fmt::format("binding parameter {}", index));
    return *this;
}

Statement& Statement::bindNull(int index) {
    int code = sqlite3_bind_null(m_statement, index);
    if (code != SQLITE_OK) m_database->fail(code, fmt::format("binding parameter {}", index));
    return *this;
}

bool Statement::step() {
    int code = sqlite3_step(m_statement);
    if (code == SQLITE_ROW) return true;
    if (code == SQLITE_DONE) return false;
    // Reset, so the statement can be bound and run again once the error is handled; the
    // connection keeps the error's message for fail().
    sqlite3_reset(m_statement);
    m_database->fail(code, fmt::format("in: {:.60}", sqlite3_sql(m_statement)));
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
}

int64_t Statement::columnInt(int column) const {
    return sqlite3_column_int64(m_statement, column);
}

double Statement::columnDouble(int column) const {
    return sqlite3_column_double(m_statement, column);
}

double Statement::columnRealOrNaN(int column) const {
    return columnIsNull(column) ? std::numeric_limits<double>::quiet_NaN() : columnDouble(column);
}

std::string Statement::columnText(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_statement, column));
    return text ? std::string(text, size_t(sqlite3_column_bytes(m_statement, column)))
                : std::string();
}

bool Statement::columnIsNull(int column) const {
    return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

Transaction::Transaction(Database& database) : m_database(database) {
    m_database.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    if (!m_open) return;
    // Rolling back cannot be allowed to throw out of a destructor; SQLite rolls back on its own
    // when the statement that failed already ended the transaction.
    sqlite3_exec(m_database.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    m_database.exec("COMMIT");
    m_open = false;
}

}  // namespace strata::store
