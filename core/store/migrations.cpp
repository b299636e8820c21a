#include "core/store/migrations.h"

#include "core/common/error.h"

namespace strata::store {

int migrate(Database& database, std::span<const Migration> migrations) {
    for (size_t i = 0; i < migrations.size(); ++i)
        if (migrations[i].version != int(i) + 1)
            common::fail("schema migration {} is out of order (expected version {})",
                         migrations[i].version, i + 1);
    const int newest = int(migrations.size());
    int version = database.userVersion();
    if (version > newest)
        common::fail(
            "{}: schema version {} was written by a newer Strata (this one knows up to {})",
            database.path().string(), version, newest);
    for (; version < newest; ++version) {
        Transaction transaction(database);
        database.exec(migrations[size_t(version)].sql);
        database.setUserVersion(version + 1);
        transaction.commit();
    }
    return version;
}

}  // namespace strata::store
