// The min/max tile pyramid behind RunHistory::series(), as plain code with no SQL: how steps
// group into tiles, how points and tiles fold into summaries, how summaries merge into at most
// one bucket per pixel, and which level of the pyramid a query reads. Level 0 is the raw points;
// level L in 1..kTileLevels summarizes 16^L steps a tile, so a 1,000,000-step series has 3,907
// tiles at level 2 and a chart 2,000 pixels wide reads those instead of a million rows.
// downsampleReference() is the plain path over every raw point that the tests compare with.
// MetricStore (metric_store.h) keeps the tiles in SQLite.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace strata::store {

// A min/max envelope point of a downsampled series: the bucket's step range and value range,
// plus the first and last values so a line through buckets keeps its shape. A tile of the
// pyramid is one too.
struct SeriesBucket {
    int64_t firstStep;
    int64_t lastStep;
    double minValue;
    double maxValue;
    double firstValue;
    double lastValue;
    int64_t count;
};

struct SeriesPoint {
    int64_t step;
    double value;
};

struct StepSample {
    int64_t step;
    double value;
    double wallTime;  // unix seconds
};

inline constexpr int kTileLevels = 4;
inline constexpr int kTileShift = 4;  // 16 steps of level L - 1 per tile of level L
// series() reads at most this many points or tiles per pixel of width. With 16 times fewer tiles
// at each level up, the level it picks gives between 1 and 16 pieces per pixel, so a dense
// series fills every pixel (a budget of 4 would leave some charts at a quarter of their width).
inline constexpr int kPiecesPerPixel = 16;

// The tile of `level` that holds `step` (a floor division: negative steps tile too) and the first
// step it holds. schema.cpp's backfill computes the same in SQL.
inline int64_t tileOf(int64_t step, int level) {
    return step >> (kTileShift * level);
}
inline int64_t tileFirstStep(int64_t tile, int level) {
    return tile << (kTileShift * level);
}

inline SeriesBucket pointBucket(int64_t step, double value) {
    return {step, step, value, value, value, value, 1};
}
// Folds `piece` into `into`; first and last values follow the step order, whatever order the
// pieces come in.
void mergeBucket(SeriesBucket& into, const SeriesBucket& piece);

struct Tile {
    int level;
    int64_t index;
    SeriesBucket summary;
};
// The tiles of every level over `points`, which are sorted by step and hold no NaN: level 1's
// in step order, then level 2's, and so on.
std::vector<Tile> buildTiles(std::span<const SeriesPoint> points);

// Merges pieces (points or tiles) that are sorted by step and do not overlap into at most
// `pixelWidth` buckets, each an equal share of the steps [fromStep, toStep]; a piece goes to the
// bucket of its first step, so a bucket's step range covers exactly the points it summarizes.
std::vector<SeriesBucket> mergeIntoBuckets(std::span<const SeriesBucket> pieces, int64_t fromStep,
                                           int64_t toStep, int pixelWidth);

// The level a query reads: the finest whose pieces over [fromStep, toStep] (at most
// `numPoints`, an upper bound on the points in the range, and at most one a step) are no more
// than kPiecesPerPixel * pixelWidth; 0 means the raw points.
int chooseLevel(int64_t numPoints, int64_t fromStep, int64_t toStep, int pixelWidth);

// The reference: the buckets of every raw point in [fromStep, toStep] (points sorted by step,
// NaN skipped), with no tiles.
std::vector<SeriesBucket> downsampleReference(std::span<const SeriesPoint> points, int64_t fromStep,
                                              int64_t toStep, int pixelWidth);

}  // namespace strata::store
