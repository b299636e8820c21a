// Downsampled series against brute force. The pure parts first: tiles summarize their points,
// buckets never outnumber the pixels, the level follows the range. Then series() on a real
// database: a dense 200,000-step series with spikes and a sparse one (an eval every 50 steps),
// over full, zoomed, tiny and misaligned ranges at several widths, each bucket checked against
// the raw points of its step range; the stored tiles checked against tiles built afresh, also
// after a resumed run truncates and rewrites the tail, and with NaN values in the series.
#include "core/store/metric_series.h"
#include "core/store/run_history.h"
#include "tests/core/store/series_check.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <random>

using namespace strata;
using store::SeriesBucket;
using store::SeriesPoint;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

// A loss-like curve with noise and a spike every 9,973 steps, the same on every platform.
std::vector<SeriesPoint> curve(int64_t firstStep, int64_t lastStep, int64_t every, uint64_t seed) {
    std::mt19937_64 random(seed);
    std::vector<SeriesPoint> points;
    for (int64_t step = firstStep; step <= lastStep; step += every) {
        double noise = double(random() >> 11) * 0x1.0p-53 - 0.5;
        double value = 8.0 / (1.0 + double(step) / 5000.0) + 0.1 * noise;
        if (step % 9973 == 0) value += 3.0;
        points.push_back({step, value});
    }
    return points;
}

// Ingests the points as the client would: batches of `stepsPerBatch` points, one seq each.
void ingest(store::RunHistory& history, int64_t runId, int64_t& seq, const std::string& key,
            std::span<const SeriesPoint> points, int stepsPerBatch = 1000,
            std::optional<int64_t> truncateAfterStep = {}) {
    for (size_t begin = 0; begin < points.size(); begin += size_t(stepsPerBatch)) {
        store::IngestBatch batch;
        batch.runId = runId;
        if (truncateAfterStep && begin == 0) {
            batch.truncateAfterStep = truncateAfterStep;
            batch.truncateSeq = ++seq;
        }
        size_t end = std::min(points.size(), begin + size_t(stepsPerBatch));
        for (size_t i = begin; i < end; ++i)
            batch.metrics.push_back({++seq, key, points[i].step, points[i].value, 1.7e9, 0});
        batch.lastSeq = seq;
        history.ingest(batch);
    }
}

struct Range {
    int64_t from;
    int64_t to;
};

}  // namespace

class TestMetricSeries : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path file(const char* name) const { return fs::path(m_tmp.filePath(name).toStdString()); }

    void verifyTiles(store::RunHistory& history, int64_t runId, const std::string& key,
                     std::span<const SeriesPoint> points) {
        std::string failure = series_check::checkTiles(history.database(), runId, key, points);
        QVERIFY2(failure.empty(), failure.c_str());
    }

    // Every range and width against brute force; `what` names the case in failures.
    void checkSeries(store::RunHistory& history, int64_t runId, const std::string& key,
                     std::span<const SeriesPoint> points, const std::vector<Range>& ranges,
                     const char* what) {
        for (const Range& range : ranges)
            for (int width : {1, 7, 300, 1000, 2000}) {
                std::vector<SeriesBucket> buckets =
                    history.series(runId, key, range.from, range.to, width);
                std::string failure =
                    series_check::check(points, range.from, range.to, width, buckets);
                QVERIFY2(failure.empty(), qPrintable(QString("%1, steps %2..%3, width %4: %5")
                                                         .arg(what)
                                                         .arg(range.from)
                                                         .arg(range.to)
                                                         .arg(width)
                                                         .arg(QString::fromStdString(failure))));
            }
    }

private slots:
    void tilesSummarizeTheirPoints() {
        std::vector<SeriesPoint> points = curve(-300, 70000, 3, 1);
        std::vector<store::Tile> tiles = store::buildTiles(points);
        int64_t total = 0;
        for (const store::Tile& tile : tiles) {
            const int64_t first = store::tileFirstStep(tile.index, tile.level);
            const int64_t last = store::tileFirstStep(tile.index + 1, tile.level) - 1;
            QVERIFY(tile.summary.firstStep >= first && tile.summary.lastStep <= last);
            std::vector<SeriesBucket> reference =
                store::downsampleReference(points, first, last, 1);
            QCOMPARE(reference.size(), size_t(1));
            QCOMPARE(tile.summary.count, reference[0].count);
            QCOMPARE(tile.summary.minValue, reference[0].minValue);
            QCOMPARE(tile.summary.maxValue, reference[0].maxValue);
            QCOMPARE(tile.summary.firstValue, reference[0].firstValue);
            QCOMPARE(tile.summary.lastValue, reference[0].lastValue);
            if (tile.level == 1) total += tile.summary.count;
        }
        QCOMPARE(total, int64_t(points.size()));
        // Negative steps tile by floor division: step -1 is in tile -1, not tile 0.
        QCOMPARE(store::tileOf(-1, 1), int64_t(-1));
        QCOMPARE(store::tileOf(-16, 1), int64_t(-1));
        QCOMPARE(store::tileOf(-17, 1), int64_t(-2));
        QCOMPARE(store::tileFirstStep(-2, 1), int64_t(-32));
    }

    void bucketsNeverOutnumberThePixels() {
        std::vector<SeriesPoint> points = curve(0, 9999, 1, 2);
        for (int width : {1, 3, 999, 1000, 1001, 10000, 20000}) {
            std::vector<SeriesBucket> buckets = store::downsampleReference(points, 0, 9999, width);
            QVERIFY(int(buckets.size()) <= width);
            if (width <= 10000) QCOMPARE(int(buckets.size()), width);  // one per pixel when dense
            QVERIFY(series_check::check(points, 0, 9999, width, buckets).empty());
        }
        QVERIFY(store::downsampleReference(points, 0, kMax, 1000).size() <= 1000);
        QVERIFY(store::downsampleReference(points, 500, 400, 1000).empty());
    }

    void theLevelFollowsTheRange() {
        QCOMPARE(store::chooseLevel(1'000'000, 0, 999'999, 1000), 2);  // 3,907 tiles
        QCOMPARE(store::chooseLevel(1'000'000, 0, 999'999, 2000), 2);
        QCOMPARE(store::chooseLevel(100'000, 400'000, 499'999, 1000), 1);  // 6,251 tiles
        QCOMPARE(store::chooseLevel(100'000, 400'000, 499'999, 300), 2);
        QCOMPARE(store::chooseLevel(16'000, 0, 999'999, 1000), 0);  // few points: raw rows
        QCOMPARE(store::chooseLevel(20'000, 0, 999'999, 1000), 2);  // sparse: one per 50 steps
        QCOMPARE(store::chooseLevel(int64_t(1) << 40, 0, int64_t(1) << 40, 1000), 4);
    }

    void aDenseSeriesMatchesBruteForce() {
        store::RunHistory history(file("dense.db"));
        int64_t runId = history.createRun({"dense", "local"});
        int64_t seq = 0;
        std::vector<SeriesPoint> points = curve(0, 199'999, 1, 3);
        ingest(history, runId, seq, "loss", points);
        checkSeries(history, runId, "loss", points,
                    {{0, kMax},
                     {0, 199'999},
                     {120'000, 139'999},
                     {4097, 70'001},
                     {65'535, 65'536},
                     {12'345, 12'345},
                     {-1000, 15},
                     {199'990, 250'000},
                     {3, 2},
                     {300'000, 400'000}},
                    "dense");
        verifyTiles(history, runId, "loss", points);
        QVERIFY(history.series(runId, "no such key", 0, kMax, 1000).empty());
        QCOMPARE(history.series(runId, "loss", 0, kMax, 1000).size(), size_t(1000));
    }

    void aSparseSeriesMatchesBruteForce() {
        store::RunHistory history(file("sparse.db"));
        int64_t runId = history.createRun({"sparse", "local"});
        int64_t seq = 0;
        std::vector<SeriesPoint> points = curve(50, 150'000, 50, 4);  // an eval every 50 steps
        ingest(history, runId, seq, "val_loss", points, 20);
        checkSeries(history, runId, "val_loss", points,
                    {{0, kMax}, {1, 149'999}, {60'000, 70'000}, {51, 99}, {100, 100}}, "sparse");
        verifyTiles(history, runId, "val_loss", points);
    }

    void truncationMendsTheTiles() {
        store::RunHistory history(file("truncate.db"));
        int64_t runId = history.createRun({"resumed", "local"});
        int64_t seq = 0;
        std::vector<SeriesPoint> first = curve(0, 99'999, 1, 5);
        ingest(history, runId, seq, "loss", first);
        // Resumed from the checkpoint at step 54,321 (inside a tile of every level), the run
        // trains the steps after it again with other values, and fewer of them.
        const int64_t resumedAt = 54'321;
        std::vector<SeriesPoint> second = curve(resumedAt + 1, 80'000, 1, 6);
        ingest(history, runId, seq, "loss", second, 1000, resumedAt);
        std::vector<SeriesPoint> truth(first.begin(), first.begin() + resumedAt + 1);
        truth.insert(truth.end(), second.begin(), second.end());

        verifyTiles(history, runId, "loss", truth);
        checkSeries(history, runId, "loss", truth,
                    {{0, kMax}, {50'000, 60'000}, {resumedAt, resumedAt + 1}, {79'000, 99'999}},
                    "after truncation");
        QCOMPARE(history.run(runId).lastStep, int64_t(80'000));

        // Truncating before the series' start empties it, tiles and all.
        store::IngestBatch batch;
        batch.runId = runId;
        batch.truncateAfterStep = -1;
        batch.truncateSeq = batch.lastSeq = ++seq;
        history.ingest(batch);
        QVERIFY(history.series(runId, "loss", 0, kMax, 1000).empty());
        verifyTiles(history, runId, "loss", {});
        QCOMPARE(history.run(runId).lastStep, int64_t(0));
    }

    void nanValuesAreLeftOut() {
        store::RunHistory history(file("nan.db"));
        int64_t runId = history.createRun({"diverged", "local"});
        int64_t seq = 0;
        std::vector<SeriesPoint> points = curve(0, 9999, 1, 7);
        for (size_t i = 0; i < points.size(); i += 97)
            points[i].value = std::nan("");
        points.back().value = std::numeric_limits<double>::infinity();
        ingest(history, runId, seq, "grad_norm", points, 333);
        checkSeries(history, runId, "grad_norm", points, {{0, kMax}, {96, 98}, {9000, 9999}},
                    "with NaN");
        verifyTiles(history, runId, "grad_norm", points);
    }
};

QTEST_GUILESS_MAIN(TestMetricSeries)
#include "tst_metric_series.moc"
