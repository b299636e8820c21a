// The metrics of runs in SQLite: raw rows in `metrics`, the tile pyramid over them in
// `metric_tiles` (metric_series.h) kept in step by every insert and truncation, and downsampled
// series read back from the two. Part of RunHistory: it works on RunHistory's connection inside
// the transactions RunHistory opens, and never begins or commits one itself. Statements are
// prepared once; key names are interned to ids through an in-memory cache.
#pragma once

#include "core/store/database.h"
#include "core/store/metric_series.h"
#include "core/store/run_history.h"

#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace strata::store {

class MetricStore {
public:
    explicit MetricStore(Database& database);

    // The id of a key name, stored on first use.
    int64_t internKey(const std::string& name);
    std::optional<int64_t> findKey(const std::string& name);
    // After the transaction that interned keys commits: they are in the database for good.
    // After it rolls back: the cache forgets them, since their ids went with it.
    void keepInternedKeys() { m_uncommittedKeys.clear(); }
    void forgetInternedKeys();

    struct Inserted {
        int64_t numRows = 0;
        int64_t maxStep = 0;  // of the rows inserted; meaningless when numRows is 0
    };
    // Stores the rows whose seq is above `afterSeq` (the others were delivered before), each
    // (key, step) once: a row whose key and step are already stored, by an earlier batch or
    // earlier in this one, is left out. The rows inserted are folded into the tiles, one upsert
    // per tile touched.
    Inserted insert(int64_t runId, std::span<const MetricRow> rows, int64_t afterSeq);
    // Removes the rows after `step` and mends the tiles: those wholly after it go, the one at
    // each level that holds it is summarized again from the raw rows that remain.
    void truncateAfter(int64_t runId, int64_t step);

    // The highest step of any key, 0 when the run has no metrics.
    int64_t lastStep(int64_t runId);
    // The value at the key's highest step (NaN when that value is NaN), nullopt when none.
    std::optional<double> latestValue(int64_t runId, int64_t keyId);
    // (id, name) of the keys the run has rows of, sorted by name.
    std::vector<std::pair<int64_t, std::string>> keys(int64_t runId);
    // Up to `limit` rows of one series after `afterStep`, in step order (seq left 0).
    std::vector<MetricRow> rows(int64_t runId, int64_t keyId, const std::string& key,
                                int64_t afterStep, int limit);

    // The first row at or after each of `count` evenly spaced steps in [fromStep, toStep]: one
    // index probe each, so mapping a long series' steps onto tokens or wall time stays cheap.
    std::vector<StepSample> sampleSteps(int64_t runId, int64_t keyId, int64_t fromStep,
                                        int64_t toStep, int count);

    // At most `pixelWidth` buckets over the steps [fromStep, toStep], read from the finest level
    // chooseLevel() allows; NaN values are left out. The range is first narrowed to the steps
    // the series has, so (0, INT64_MAX) asks for all of it.
    std::vector<SeriesBucket> series(int64_t runId, int64_t keyId, int64_t fromStep, int64_t toStep,
                                     int pixelWidth);

private:
    struct PendingRow {
        int64_t keyId;
        int64_t step;
        double value;
        double wallTime;
        int rank;
        uint32_t order;  // place in the batch: of two rows with one key and step, the first wins
    };

    // The rows of one key a batch brings, sorted by step, go in one of two ways. When they
    // all lie after the series' last stored step and no step repeats (the steady case), they
    // are appended kRowsPerAppend to a statement (ingest gets a quarter faster); otherwise
    // one by one, each checked for a conflict. Either way m_points gets the points inserted.
    static constexpr size_t kRowsPerAppend = 64;
    Inserted appendRows(int64_t runId, int64_t keyId, std::span<const PendingRow> series);
    Inserted insertNewRows(int64_t runId, int64_t keyId, std::span<const PendingRow> series);
    static void bindRow(Statement& statement, int firstParameter, int64_t runId, int64_t keyId,
                        const PendingRow& row);
    // One upsert per tile: a new tile is inserted, one the series already has is merged.
    void upsertTiles(int64_t runId, int64_t keyId, std::span<const Tile> tiles);

    std::optional<SeriesPoint> latestRow(int64_t runId, int64_t keyId);
    // Appends the pieces covering [fromStep, toStep]: whole tiles of `level`, and finer tiles
    // and then raw points at the two ends, so no piece holds a step outside the range.
    void collectPieces(int64_t runId, int64_t keyId, int level, int64_t fromStep, int64_t toStep,
                       std::vector<SeriesBucket>& pieces);
    void readPoints(int64_t runId, int64_t keyId, int64_t fromStep, int64_t toStep,
                    std::vector<SeriesPoint>& points);
    void readTiles(int64_t runId, int64_t keyId, int level, int64_t fromTile, int64_t toTile,
                   std::vector<SeriesBucket>& tiles);

    Database& m_db;
    Statement m_insertRow;
    Statement m_appendRow;
    Statement m_appendRows;
    Statement m_upsertTile;
    Statement m_deleteRowsAfter;
    Statement m_deleteTilesFrom;
    Statement m_readPoints;
    Statement m_readTiles;
    Statement m_readRows;
    Statement m_latestRow;
    Statement m_runKeys;
    Statement m_insertKey;
    Statement m_selectKey;
    std::unordered_map<std::string, int64_t> m_keyIds;
    std::vector<std::string> m_uncommittedKeys;
    // Reused from batch to batch, so a steady ingest does not allocate.
    std::vector<PendingRow> m_pending;
    std::vector<SeriesPoint> m_points;
};

}  // namespace strata::store
