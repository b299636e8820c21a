#include "core/store/migrations.h"

#include "core/common/error.h"

namespace strata::store {

int migrate(Database& database, std::span<const Migration> migrations) {
    for (size_t i = 0; i < migrations.size(); ++i)
        if (migrations[i].version != int(i) + 1)
            common::fail("schema migration {} is out of order (expected version {})",
                         migrations[i].version, i + 1);
    const int newest = int(migrations.size());
    auto refuseNewer = [&](int version) {
        if (version > newest)
            common::fail(
                "{}: schema version {} was written by a newer Strata (this one knows up to {})",
                database.path().string(), version, newest);
    };
    int version = database.userVersion();
    refuseNewer(version);
    while (version < newest) {
        Transaction transaction(database);
        // Another connection to the same file (the label store beside the run history) may
        // have migrated while this one waited for the write lock.
        version = database.userVersion();
        refuseNewer(version);
        if (version == newest) break;
        database.exec(migrations[size_t(version)].sql);
        database.setUserVersion(version + 1);
        transaction.commit();
        ++version;
    }
    return version;
}

}  // namespace strata::store
