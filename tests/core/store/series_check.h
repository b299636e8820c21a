// The brute-force checks of downsampled series that the store tests share. check(): given every
// raw point of a series, a series() answer must cover the points of [fromStep, toStep] exactly
// once, and each bucket's count, minimum, maximum, first and last values must be those of the
// raw points in its own step range. checkTiles(): the tiles stored for a series must be the ones
// built afresh from its points, however they were maintained. Each returns an empty string when
// it holds, else what failed.
#pragma once

#include "core/store/database.h"
#include "core/store/metric_series.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <vector>

namespace series_check {

using strata::store::SeriesBucket;
using strata::store::SeriesPoint;

// `points`: every stored point of the series, sorted by step (NaN ones included; they must be
// left out of the buckets).
inline std::string check(std::span<const SeriesPoint> points, int64_t fromStep, int64_t toStep,
                         int pixelWidth, const std::vector<SeriesBucket>& buckets) {
    auto at = [&](int64_t step) {
        return std::lower_bound(points.begin(), points.end(), step,
                                [](const SeriesPoint& p, int64_t s) { return p.step < s; });
    };
    if (int(buckets.size()) > pixelWidth)
        return fmt::format("{} buckets for {} pixels", buckets.size(), pixelWidth);
    int64_t covered = 0;
    for (size_t i = 0; i < buckets.size(); ++i) {
        const SeriesBucket& b = buckets[i];
        if (b.firstStep < fromStep || b.lastStep > toStep || b.firstStep > b.lastStep)
            return fmt::format("bucket {} spans steps {}..{} outside {}..{}", i, b.firstStep,
                               b.lastStep, fromStep, toStep);
        if (i > 0 && b.firstStep <= buckets[i - 1].lastStep)
            return fmt::format("bucket {} overlaps the one before", i);
        SeriesBucket raw{0, 0, INFINITY, -INFINITY, NAN, NAN, 0};
        for (auto p = at(b.firstStep); p != points.end() && p->step <= b.lastStep; ++p) {
            if (std::isnan(p->value)) continue;
            if (raw.count == 0) raw.firstStep = p->step, raw.firstValue = p->value;
            raw.lastStep = p->step;
            raw.lastValue = p->value;
            raw.minValue = std::min(raw.minValue, p->value);
            raw.maxValue = std::max(raw.maxValue, p->value);
            ++raw.count;
        }
        if (raw.count != b.count || raw.firstStep != b.firstStep || raw.lastStep != b.lastStep ||
            raw.minValue != b.minValue || raw.maxValue != b.maxValue ||
            raw.firstValue != b.firstValue || raw.lastValue != b.lastValue)
            return fmt::format(
                "bucket {} (steps {}..{}): count {} min {} max {} first {} last {}, the raw "
                "points give steps {}..{} count {} min {} max {} first {} last {}",
                i, b.firstStep, b.lastStep, b.count, b.minValue, b.maxValue, b.firstValue,
                b.lastValue, raw.firstStep, raw.lastStep, raw.count, raw.minValue, raw.maxValue,
                raw.firstValue, raw.lastValue);
        covered += b.count;
    }
    int64_t inRange = 0;
    for (auto p = at(fromStep); p != points.end() && p->step <= toStep; ++p)
        inRange += std::isnan(p->value) ? 0 : 1;
    if (covered != inRange)
        return fmt::format("the buckets hold {} points, the range {}", covered, inRange);
    return {};
}

inline std::string checkTiles(strata::store::Database& db, int64_t runId, const std::string& key,
                              std::span<const SeriesPoint> points) {
    std::vector<SeriesPoint> finite;
    for (const SeriesPoint& point : points)
        if (!std::isnan(point.value)) finite.push_back(point);
    std::vector<strata::store::Tile> expected = strata::store::buildTiles(finite);
    strata::store::Statement select = db.prepare(
        "SELECT level, tile, first_step, last_step, min_value, max_value, first_value, "
        "last_value, count FROM metric_tiles t JOIN metric_keys k ON k.id = t.key_id "
        "WHERE t.run_id = ?1 AND k.name = ?2 ORDER BY level, tile");
    select.bind(1, runId).bind(2, key);
    size_t i = 0;
    for (; select.step(); ++i) {
        if (i == expected.size()) return fmt::format("more than the {} tiles expected", i);
        const strata::store::Tile& e = expected[i];
        const SeriesBucket& s = e.summary;
        if (select.columnInt(0) != e.level || select.columnInt(1) != e.index ||
            select.columnInt(2) != s.firstStep || select.columnInt(3) != s.lastStep ||
            select.columnDouble(4) != s.minValue || select.columnDouble(5) != s.maxValue ||
            select.columnDouble(6) != s.firstValue || select.columnDouble(7) != s.lastValue ||
            select.columnInt(8) != s.count)
            return fmt::format(
                "tile {} of level {}: stored steps {}..{} count {}, expected steps {}..{} "
                "count {} (or its values differ)",
                e.index, e.level, select.columnInt(2), select.columnInt(3), select.columnInt(8),
                s.firstStep, s.lastStep, s.count);
    }
    if (i != expected.size())
        return fmt::format("{} tiles stored, {} expected", i, expected.size());
    return {};
}

}  // namespace series_check
