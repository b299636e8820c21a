#include "core/store/metric_store.h"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace strata::store {

namespace {

// An INSERT of `numRows` metric rows: fixed text, the values are bound. No conflict clause: it
// only ever adds steps after the stored ones, and a conflict would be a bug to report, not a row
// to skip (the tiles would count it twice).
std::string appendSql(size_t numRows) {
    std::string sql = "INSERT INTO metrics (run_id, key_id, step, value, wall_time, rank) VALUES ";
    for (size_t i = 0; i < numRows; ++i)
        sql += i ? ", (?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?)";
    return sql;
}

}  // namespace

MetricStore::MetricStore(Database& database)
    : m_db(database),
      m_insertRow(
          database.prepare("INSERT INTO metrics (run_id, key_id, step, value, wall_time, rank) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING")),
      m_appendRow(database.prepare(appendSql(1))),
      m_appendRows(database.prepare(appendSql(kRowsPerAppend))),
      // Assignments read the row as it was, so each CASE compares with the old first and last
      // steps.
      m_upsertTile(database.prepare(
          "INSERT INTO metric_tiles (run_id, key_id, level, tile, first_step, last_step, "
          "min_value, max_value, first_value, last_value, count) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
          "ON CONFLICT (run_id, key_id, level, tile) DO UPDATE SET "
          "first_value = CASE WHEN excluded.first_step < first_step "
          "THEN excluded.first_value ELSE first_value END, "
          "last_value = CASE WHEN excluded.last_step > last_step "
          "THEN excluded.last_value ELSE last_value END, "
          "first_step = min(first_step, excluded.first_step), "
          "last_step = max(last_step, excluded.last_step), "
          "min_value = min(min_value, excluded.min_value), "
          "max_value = max(max_value, excluded.max_value), "
          "count = count + excluded.count")),
      m_deleteRowsAfter(
          database.prepare("DELETE FROM metrics WHERE run_id = ?1 AND key_id = ?2 AND step > ?3")),
      m_deleteTilesFrom(database.prepare(
          "DELETE FROM metric_tiles WHERE run_id = ?1 AND key_id = ?2 AND level = ?3 "
          "AND tile >= ?4")),
      m_readPoints(
          database.prepare("SELECT step, value FROM metrics WHERE run_id = ?1 AND key_id = ?2 "
                           "AND step BETWEEN ?3 AND ?4 AND value IS NOT NULL ORDER BY step")),
      m_readTiles(database.prepare(
          "SELECT first_step, last_step, min_value, max_value, first_value, last_value, count "
          "FROM metric_tiles WHERE run_id = ?1 AND key_id = ?2 AND level = ?3 "
          "AND tile BETWEEN ?4 AND ?5 ORDER BY tile")),
      m_readRows(database.prepare("SELECT step, value, wall_time, rank FROM metrics "
                                  "WHERE run_id = ?1 AND key_id = ?2 AND step > ?3 "
                                  "ORDER BY step LIMIT ?4")),
      m_latestRow(database.prepare("SELECT step, value FROM metrics WHERE run_id = ?1 "
                                   "AND key_id = ?2 ORDER BY step DESC LIMIT 1")),
      // One primary-key probe per key name: far cheaper than a DISTINCT over the run's rows.
      m_runKeys(database.prepare(
          "SELECT k.id, k.name FROM metric_keys k WHERE EXISTS "
          "(SELECT 1 FROM metrics m WHERE m.run_id = ?1 AND m.key_id = k.id) ORDER BY k.name")),
      m_insertKey(database.prepare(
          "INSERT INTO metric_keys (name) VALUES (?1) ON CONFLICT (name) DO NOTHING")),
      m_selectKey(database.prepare("SELECT id FROM metric_keys WHERE name = ?1")) {}

int64_t MetricStore::internKey(const std::string& name) {
    if (auto found = m_keyIds.find(name); found != m_keyIds.end()) return found->second;
    m_insertKey.bind(1, name).run();
    if (m_db.changes() > 0) m_uncommittedKeys.push_back(name);
    return *findKey(name);
}

std::optional<int64_t> MetricStore::findKey(const std::string& name) {
    if (auto found = m_keyIds.find(name); found != m_keyIds.end()) return found->second;
    m_selectKey.reset();
    m_selectKey.bind(1, name);
    if (!m_selectKey.step()) return std::nullopt;
    int64_t id = m_selectKey.columnInt(0);
    m_selectKey.reset();
    m_keyIds.emplace(name, id);
    return id;
}

void MetricStore::forgetInternedKeys() {
    for (const std::string& name : m_uncommittedKeys)
        m_keyIds.erase(name);
    m_uncommittedKeys.clear();
}

MetricStore::Inserted MetricStore::insert(int64_t runId, std::span<const MetricRow> rows,
                                          int64_t afterSeq) {
    m_pending.clear();
    for (size_t i = 0; i < rows.size(); ++i) {
        const MetricRow& row = rows[i];
        if (row.seq <= afterSeq) continue;
        m_pending.push_back(
            {internKey(row.key), row.step, row.value, row.wallTime, row.rank, uint32_t(i)});
    }
    // Key-major order: each series' rows go in as one ascending run (the B-tree appends in
    // place) and its tiles are built in one pass.
    std::sort(m_pending.begin(), m_pending.end(), [](const PendingRow& a, const PendingRow& b) {
        return std::tie(a.keyId, a.step, a.order) < std::tie(b.keyId, b.step, b.order);
    });
    Inserted inserted;
    for (size_t begin = 0, end = 0; begin < m_pending.size(); begin = end) {
        const int64_t keyId = m_pending[begin].keyId;
        for (end = begin; end < m_pending.size() && m_pending[end].keyId == keyId;)
            ++end;
        std::span<const PendingRow> series(m_pending.data() + begin, end - begin);
        m_points.clear();
        // The steady case: every row lies after the series' last stored step, and no step
        // repeats. Then no row can conflict.
        std::optional<SeriesPoint> latest = latestRow(runId, keyId);
        bool appends = !latest || latest->step < series.front().step;
        for (size_t i = 1; appends && i < series.size(); ++i)
            appends = series[i].step != series[i - 1].step;
        Inserted added =
            appends ? appendRows(runId, keyId, series) : insertNewRows(runId, keyId, series);
        if (added.numRows > 0)
            inserted.maxStep =
                inserted.numRows ? std::max(inserted.maxStep, added.maxStep) : added.maxStep;
        inserted.numRows += added.numRows;
        upsertTiles(runId, keyId, buildTiles(m_points));
    }
    return inserted;
}

void MetricStore::bindRow(Statement& statement, int firstParameter, int64_t runId, int64_t keyId,
                          const PendingRow& row) {
    statement.bind(firstParameter, runId)
        .bind(firstParameter + 1, keyId)
        .bind(firstParameter + 2, row.step)
        .bind(firstParameter + 3, row.value)  // NaN binds as NULL
        .bind(firstParameter + 4, row.wallTime)
        .bind(firstParameter + 5, row.rank);
}

MetricStore::Inserted MetricStore::appendRows(int64_t runId, int64_t keyId,
                                              std::span<const PendingRow> series) {
    size_t i = 0;
    for (; i + kRowsPerAppend <= series.size(); i += kRowsPerAppend) {
        for (size_t j = 0; j < kRowsPerAppend; ++j)
            bindRow(m_appendRows, int(j) * 6 + 1, runId, keyId, series[i + j]);
        m_appendRows.run();
    }
    for (; i < series.size(); ++i) {
        bindRow(m_appendRow, 1, runId, keyId, series[i]);
        m_appendRow.run();
    }
    for (const PendingRow& row : series)
        if (!std::isnan(row.value)) m_points.push_back({row.step, row.value});
    return {int64_t(series.size()), series.back().step};
}

MetricStore::Inserted MetricStore::insertNewRows(int64_t runId, int64_t keyId,
                                                 std::span<const PendingRow> series) {
    Inserted inserted;
    for (const PendingRow& row : series) {
        bindRow(m_insertRow, 1, runId, keyId, row);
        m_insertRow.run();
        if (m_db.changes() == 0) continue;  // this key and step are already stored
        inserted.maxStep = row.step;        // rows come in step order
        ++inserted.numRows;
        if (!std::isnan(row.value)) m_points.push_back({row.step, row.value});
    }
    return inserted;
}

void MetricStore::upsertTiles(int64_t runId, int64_t keyId, std::span<const Tile> tiles) {
    for (const Tile& tile : tiles) {
        const SeriesBucket& s = tile.summary;
        m_upsertTile.bind(1, runId)
            .bind(2, keyId)
            .bind(3, tile.level)
            .bind(4, tile.index)
            .bind(5, s.firstStep)
            .bind(6, s.lastStep)
            .bind(7, s.minValue)
            .bind(8, s.maxValue)
            .bind(9, s.firstValue)
            .bind(10, s.lastValue)
            .bind(11, s.count)
            .run();
    }
}

void MetricStore::truncateAfter(int64_t runId, int64_t step) {
    for (const auto& [keyId, name] : keys(runId)) {
        m_deleteRowsAfter.bind(1, runId).bind(2, keyId).bind(3, step).run();
        for (int level = 1; level <= kTileLevels; ++level)
            m_deleteTilesFrom.bind(1, runId)
                .bind(2, keyId)
                .bind(3, level)
                .bind(4, tileOf(step, level))
                .run();
        // The rows left in the top-level tile that holds `step` summarize it and, at every finer
        // level, the tile within it that holds `step`; the tiles before those were never touched.
        const int64_t top = tileOf(step, kTileLevels);
        readPoints(runId, keyId, tileFirstStep(top, kTileLevels), step, m_points);
        std::vector<Tile> tiles = buildTiles(m_points);
        std::erase_if(tiles,
                      [&](const Tile& tile) { return tile.index != tileOf(step, tile.level); });
        upsertTiles(runId, keyId, tiles);
    }
}

int64_t MetricStore::lastStep(int64_t runId) {
    std::optional<int64_t> last;
    for (const auto& [keyId, name] : keys(runId))
        if (auto latest = latestRow(runId, keyId))
            last = std::max(last.value_or(latest->step), latest->step);
    return last.value_or(0);
}

std::optional<double> MetricStore::latestValue(int64_t runId, int64_t keyId) {
    if (auto latest = latestRow(runId, keyId)) return latest->value;
    return std::nullopt;
}

std::vector<StepSample> MetricStore::sampleSteps(int64_t runId, int64_t keyId, int64_t fromStep,
                                                 int64_t toStep, int count) {
    Statement probe = m_db.prepare(
        "SELECT step, value, wall_time FROM metrics WHERE run_id = ?1 AND key_id = ?2 "
        "AND step >= ?3 AND step <= ?4 ORDER BY step LIMIT 1");
    std::vector<StepSample> samples;
    const double stride = count > 1 ? double(toStep - fromStep) / double(count - 1) : 0;
    for (int i = 0; i < std::max(count, 1); ++i) {
        int64_t at = fromStep + int64_t(std::llround(stride * i));
        if (!samples.empty()) at = std::max(at, samples.back().step + 1);
        probe.reset();
        probe.bind(1, runId).bind(2, keyId).bind(3, at).bind(4, toStep);
        if (!probe.step()) break;
        samples.push_back({probe.columnInt(0), probe.columnRealOrNaN(1), probe.columnDouble(2)});
    }
    return samples;
}

std::optional<SeriesPoint> MetricStore::latestRow(int64_t runId, int64_t keyId) {
    // One probe from the end of the series' primary-key range.
    m_latestRow.reset();
    m_latestRow.bind(1, runId).bind(2, keyId);
    std::optional<SeriesPoint> latest;
    if (m_latestRow.step())
        latest = SeriesPoint{m_latestRow.columnInt(0), m_latestRow.columnRealOrNaN(1)};
    m_latestRow.reset();
    return latest;
}

std::vector<std::pair<int64_t, std::string>> MetricStore::keys(int64_t runId) {
    std::vector<std::pair<int64_t, std::string>> keys;
    m_runKeys.reset();
    m_runKeys.bind(1, runId);
    while (m_runKeys.step())
        keys.emplace_back(m_runKeys.columnInt(0), m_runKeys.columnText(1));
    m_runKeys.reset();
    return keys;
}

std::vector<MetricRow> MetricStore::rows(int64_t runId, int64_t keyId, const std::string& key,
                                         int64_t afterStep, int limit) {
    std::vector<MetricRow> rows;
    m_readRows.reset();
    m_readRows.bind(1, runId).bind(2, keyId).bind(3, afterStep).bind(4, int64_t(limit));
    while (m_readRows.step())
        rows.push_back({0, key, m_readRows.columnInt(0), m_readRows.columnRealOrNaN(1),
                        m_readRows.columnDouble(2), int(m_readRows.columnInt(3))});
    m_readRows.reset();
    return rows;
}

std::vector<SeriesBucket> MetricStore::series(int64_t runId, int64_t keyId, int64_t fromStep,
                                              int64_t toStep, int pixelWidth) {
    if (toStep < fromStep) return {};
    // The top level's few tiles give the series' extent and (an upper bound on) its number of
    // points in the range, which decide the level to read.
    std::vector<SeriesBucket> top;
    readTiles(runId, keyId, kTileLevels, tileOf(fromStep, kTileLevels), tileOf(toStep, kTileLevels),
              top);
    if (top.empty()) return {};
    fromStep = std::max(fromStep, top.front().firstStep);
    toStep = std::min(toStep, top.back().lastStep);
    if (toStep < fromStep) return {};
    int64_t numPoints = 0;
    for (const SeriesBucket& tile : top)
        numPoints += tile.count;
    std::vector<SeriesBucket> pieces;
    collectPieces(runId, keyId, chooseLevel(numPoints, fromStep, toStep, pixelWidth), fromStep,
                  toStep, pieces);
    return mergeIntoBuckets(pieces, fromStep, toStep, pixelWidth);
}

void MetricStore::collectPieces(int64_t runId, int64_t keyId, int level, int64_t fromStep,
                                int64_t toStep, std::vector<SeriesBucket>& pieces) {
    if (toStep < fromStep) return;
    if (level == 0) {
        readPoints(runId, keyId, fromStep, toStep, m_points);
        for (const SeriesPoint& point : m_points)
            pieces.push_back(pointBucket(point.step, point.value));
        return;
    }
    // The tiles of this level that lie wholly inside the range; the ends left over are narrower
    // than one tile and go to the level below.
    const int64_t first = tileOf(fromStep - 1, level) + 1;
    const int64_t last = tileOf(toStep + 1, level) - 1;
    if (first > last) {
        collectPieces(runId, keyId, level - 1, fromStep, toStep, pieces);
        return;
    }
    collectPieces(runId, keyId, level - 1, fromStep, tileFirstStep(first, level) - 1, pieces);
    readTiles(runId, keyId, level, first, last, pieces);
    collectPieces(runId, keyId, level - 1, tileFirstStep(last + 1, level), toStep, pieces);
}

void MetricStore::readPoints(int64_t runId, int64_t keyId, int64_t fromStep, int64_t toStep,
                             std::vector<SeriesPoint>& points) {
    points.clear();
    m_readPoints.reset();
    m_readPoints.bind(1, runId).bind(2, keyId).bind(3, fromStep).bind(4, toStep);
    while (m_readPoints.step())
        points.push_back({m_readPoints.columnInt(0), m_readPoints.columnDouble(1)});
    m_readPoints.reset();
}

void MetricStore::readTiles(int64_t runId, int64_t keyId, int level, int64_t fromTile,
                            int64_t toTile, std::vector<SeriesBucket>& tiles) {
    Statement& read = m_readTiles;
    read.reset();
    read.bind(1, runId).bind(2, keyId).bind(3, level).bind(4, fromTile).bind(5, toTile);
    while (read.step())
        tiles.push_back({read.columnInt(0), read.columnInt(1), read.columnDouble(2),
                         read.columnDouble(3), read.columnDouble(4), read.columnDouble(5),
                         read.columnInt(6)});
    read.reset();
}

}  // namespace strata::store
