// Forward-only schema migrations over PRAGMA user_version. Migration N brings a database from
// version N - 1 to N; migrate() applies the missing ones in order, each in its own BEGIN
// IMMEDIATE transaction together with the new user_version, so a failure leaves the database at
// the last version that applied completely; the version is read again under the write lock, so
// two connections opening one file at once migrate it once. A database at a version this build does
// not know (written by a newer Strata) is refused rather than touched.
#pragma once

#include "core/store/database.h"

#include <span>
#include <string_view>

namespace strata::store {

struct Migration {
    int version;           // 1, 2, 3, ... in order
    std::string_view sql;  // fixed schema SQL, one or more statements
};

// Returns the version the database is at afterwards (the last migration's).
int migrate(Database& database, std::span<const Migration> migrations);

}  // namespace strata::store
