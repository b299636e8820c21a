#include "core/store/metric_series.h"

#include <algorithm>
#include <cmath>

namespace strata::store {

void mergeBucket(SeriesBucket& into, const SeriesBucket& piece) {
    if (piece.firstStep < into.firstStep) {
        into.firstStep = piece.firstStep;
        into.firstValue = piece.firstValue;
    }
    if (piece.lastStep > into.lastStep) {
        into.lastStep = piece.lastStep;
        into.lastValue = piece.lastValue;
    }
    into.minValue = std::min(into.minValue, piece.minValue);
    into.maxValue = std::max(into.maxValue, piece.maxValue);
    into.count += piece.count;
}

std::vector<Tile> buildTiles(std::span<const SeriesPoint> points) {
    std::vector<Tile> tiles;
    for (int level = 1; level <= kTileLevels; ++level) {
        for (size_t i = 0; i < points.size(); ++i) {
            const SeriesPoint& point = points[i];
            int64_t index = tileOf(point.step, level);
            if (i == 0 || tiles.back().index != index)
                tiles.push_back({level, index, pointBucket(point.step, point.value)});
            else
                mergeBucket(tiles.back().summary, pointBucket(point.step, point.value));
        }
    }
    return tiles;
}

std::vector<SeriesBucket> mergeIntoBuckets(std::span<const SeriesBucket> pieces, int64_t fromStep,
                                           int64_t toStep, int pixelWidth) {
    std::vector<SeriesBucket> buckets;
    if (pieces.empty() || toStep < fromStep) return buckets;
    // Bucket b holds the steps fromStep + [b * n / width, (b + 1) * n / width) of the n steps in
    // the range: fractional boundaries, so a dense range fills every pixel. In doubles, exact
    // while offset * width < 2^53 and monotonic beyond, which is all the merge needs; unsigned,
    // so the widest range int64_t allows cannot overflow.
    const double numSteps = double(uint64_t(toStep) - uint64_t(fromStep)) + 1.0;
    const uint64_t width = uint64_t(std::max(pixelWidth, 1));
    uint64_t current = 0;
    for (const SeriesBucket& piece : pieces) {
        const double offset = double(uint64_t(piece.firstStep) - uint64_t(fromStep));
        const uint64_t bucket = std::min(uint64_t(offset * double(width) / numSteps), width - 1);
        if (buckets.empty() || bucket != current) {
            buckets.push_back(piece);
            current = bucket;
        } else {
            mergeBucket(buckets.back(), piece);
        }
    }
    return buckets;
}

int chooseLevel(int64_t numPoints, int64_t fromStep, int64_t toStep, int pixelWidth) {
    const int64_t budget = int64_t(kPiecesPerPixel) * std::max(pixelWidth, 1);
    // A series holds at most one point a step, however coarse the count it was given.
    const uint64_t numSteps = uint64_t(toStep) - uint64_t(fromStep) + 1;
    if (numPoints <= budget || numSteps <= uint64_t(budget)) return 0;
    for (int level = 1; level < kTileLevels; ++level) {
        int64_t numTiles = tileOf(toStep, level) - tileOf(fromStep, level) + 1;
        if (std::min(numPoints, numTiles) <= budget) return level;
    }
    return kTileLevels;
}

std::vector<SeriesBucket> downsampleReference(std::span<const SeriesPoint> points, int64_t fromStep,
                                              int64_t toStep, int pixelWidth) {
    std::vector<SeriesBucket> pieces;
    for (const SeriesPoint& point : points)
        if (point.step >= fromStep && point.step <= toStep && !std::isnan(point.value))
            pieces.push_back(pointBucket(point.step, point.value));
    return mergeIntoBuckets(pieces, fromStep, toStep, pixelWidth);
}

}  // namespace strata::store
