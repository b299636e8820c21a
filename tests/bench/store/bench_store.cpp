// Run history benchmark, on a real database file in a temporary folder. Prints one JSON object.
//
// Ingest: one run of --steps steps (default 1,000,000) of --keys keys (default 8: loss, lr,
// grad_norm, ...) through RunHistory::ingest in batches of --batch-steps steps (default 1,000,
// the client's flush of about a second of a fast run), metrics and their tile pyramid together:
// rows per second sustained over all of them, and over the last quarter alone (the table is
// largest then). The reference is the plain way, measured in the same run on a file of its own:
// one INSERT prepared per row inside one transaction, no tiles, over --reference-rows rows.
//
// Query: series() of the 1,000,000-point "loss" key at 1,000 and 2,000 pixels, over the full
// range and a 10% zoom, --repeats times each on a freshly opened connection (warm OS page
// cache): median and worst milliseconds. The reference selects every raw row of the range and
// folds it into the same number of min/max buckets in C++. Both answers must agree on the
// envelope (the lowest and highest value of the range).
//
//   bench_store [--steps N] [--keys N] [--batch-steps N] [--reference-rows N] [--repeats N]
//               [--dir DIR]
#include "app/cli/arg_parser.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/store/metric_series.h"
#include "core/store/run_history.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>

using namespace strata;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

const char* const kKeys[] = {"loss",
                             "lr",
                             "grad_norm",
                             "tokens_per_s",
                             "loss_scale",
                             "router.0.entropy",
                             "router.1.entropy",
                             "val_loss",
                             "param_norm",
                             "mfu",
                             "aux_loss",
                             "router.2.entropy"};

// A loss curve with noise and rare spikes; the other keys get smaller noisy values.
struct Values {
    std::mt19937_64 random{42};
    double next(int key, int64_t step) {
        double noise = double(random() >> 11) * 0x1.0p-53 - 0.5;
        if (key == 0)
            return 8.0 / (1.0 + double(step) / 20000.0) + 0.2 * noise +
                   (step % 49999 == 0 ? 4.0 : 0.0);
        return double(key) + noise;
    }
};

struct Timing {
    double medianMs;
    double worstMs;
};

Timing timeRepeats(int repeats, const std::function<void()>& action) {
    std::vector<double> ms;
    for (int i = 0; i < repeats; ++i) {
        Clock::time_point start = Clock::now();
        action();
        ms.push_back(secondsSince(start) * 1000.0);
    }
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms.back()};
}

// The reference query: every raw row of the range, folded into `pixelWidth` min/max buckets.
std::vector<store::SeriesBucket> rawSeries(store::Database& db, int64_t runId, int64_t keyId,
                                           int64_t fromStep, int64_t toStep, int pixelWidth) {
    store::Statement select = db.prepare(
        "SELECT step, value FROM metrics WHERE run_id = ?1 AND key_id = ?2 "
        "AND step BETWEEN ?3 AND ?4 AND value IS NOT NULL ORDER BY step");
    select.bind(1, runId).bind(2, keyId).bind(3, fromStep).bind(4, toStep);
    std::vector<store::SeriesBucket> buckets;
    const double numSteps = double(toStep - fromStep + 1);
    int64_t current = -1;
    while (select.step()) {
        int64_t step = select.columnInt(0);
        double value = select.columnDouble(1);
        auto bucket = int64_t(double(step - fromStep) * pixelWidth / numSteps);
        if (bucket != current) {
            buckets.push_back(store::pointBucket(step, value));
            current = bucket;
        } else {
            store::mergeBucket(buckets.back(), store::pointBucket(step, value));
        }
    }
    return buckets;
}

std::pair<double, double> envelope(const std::vector<store::SeriesBucket>& buckets) {
    double low = INFINITY, high = -INFINITY;
    for (const store::SeriesBucket& bucket : buckets) {
        low = std::min(low, bucket.minValue);
        high = std::max(high, bucket.maxValue);
    }
    return {low, high};
}

int run(int argc, char** argv) {
    app::ArgParser parser("bench_store", "[options]",
                          "Times run history ingest and downsampled queries; prints JSON.");
    parser.option("steps", 0, "N", "steps of the benchmark run (default 1000000)")
        .option("keys", 0, "N", "metric keys per step (default 8, at most 12)")
        .option("batch-steps", 0, "N", "steps per ingest batch (default 1000)")
        .option("reference-rows", 0, "N", "rows the plain reference inserts (default 2000000)")
        .option("repeats", 0, "N", "repeats of each query (default 20)")
        .option("dir", 0, "DIR", "folder for the database files (default: a temporary one)");
    app::ParsedArgs args = parser.parse(std::vector<std::string>(argv + 1, argv + argc));
    if (args.helpRequested) {
        std::printf("%s", parser.help().c_str());
        return 0;
    }
    const int64_t numSteps = args.intValue("steps", 1'000'000);
    const int numKeys = int(args.intValue("keys", 8));
    const int64_t batchSteps = args.intValue("batch-steps", 1000);
    const int64_t referenceRows = args.intValue("reference-rows", 2'000'000);
    const int repeats = int(args.intValue("repeats", 20));
    if (numKeys < 1 || numKeys > int(std::size(kKeys))) common::fail("--keys must be 1..12");
    if (numSteps < 10 || batchSteps < 1 || repeats < 1)
        common::fail("--steps, --batch-steps and --repeats must be positive");

    fs::path dir;
    bool removeDir = false;
    if (args.has("dir")) {
        dir = args.value("dir");
        fs::create_directories(dir);
    } else {
        std::string pattern = (fs::temp_directory_path() / "bench_store.XXXXXX").string();
        if (!::mkdtemp(pattern.data())) common::fail("cannot make a temporary folder");
        dir = pattern;
        removeDir = true;
    }
    const fs::path file = dir / "strata.db";
    const fs::path referenceFile = dir / "reference.db";
    for (const fs::path& path : {file, referenceFile}) {
        fs::remove(path);
        fs::remove(path.string() + "-wal");
        fs::remove(path.string() + "-shm");
    }

    // Ingest, as the client delivers a run.
    int64_t runId = 0;
    double ingestSeconds = 0, lastQuarterSeconds = 0;
    int64_t lastQuarterFrom = -1;  // the first step of the batches timed as the last quarter
    const int64_t numRows = numSteps * numKeys;
    {
        store::RunHistory history(file);
        runId = history.createRun({"bench", "local", "pretrain"});
        Values values;
        store::IngestBatch batch;
        int64_t seq = 0;
        for (int64_t first = 0; first < numSteps; first += batchSteps) {
            if (first >= numSteps * 3 / 4 && lastQuarterFrom < 0) lastQuarterFrom = first;
            batch = {};
            batch.runId = runId;
            for (int64_t step = first; step < std::min(numSteps, first + batchSteps); ++step) {
                ++seq;
                for (int key = 0; key < numKeys; ++key)
                    batch.metrics.push_back({seq, kKeys[key], step, values.next(key, step),
                                             1.7e9 + double(step) * 0.1, 0});
            }
            batch.lastSeq = seq;
            // Only the store's work is timed, not the making of the batch.
            Clock::time_point ingestStart = Clock::now();
            history.ingest(batch);
            double seconds = secondsSince(ingestStart);
            ingestSeconds += seconds;
            if (lastQuarterFrom >= 0) lastQuarterSeconds += seconds;
        }
    }
    const int64_t lastQuarterRows = (numSteps - lastQuarterFrom) * numKeys;

    // The reference ingest: a statement prepared per row, one transaction, no tiles.
    double referenceSeconds = 0;
    {
        store::RunHistory history(referenceFile);
        int64_t referenceRun = history.createRun({"reference", "local"});
        store::Database& db = history.database();
        std::vector<int64_t> keyIds;
        for (int key = 0; key < numKeys; ++key) {
            db.prepare("INSERT INTO metric_keys (name) VALUES (?1)").bind(1, kKeys[key]).run();
            keyIds.push_back(db.lastInsertRowId());
        }
        Values values;
        Clock::time_point start = Clock::now();
        store::Transaction transaction(db);
        for (int64_t row = 0; row < referenceRows; ++row) {
            int64_t step = row / numKeys;
            int key = int(row % numKeys);
            db.prepare(
                  "INSERT INTO metrics (run_id, key_id, step, value, wall_time, rank) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .bind(1, referenceRun)
                .bind(2, keyIds[size_t(key)])
                .bind(3, step)
                .bind(4, values.next(key, step))
                .bind(5, 1.7e9 + double(step) * 0.1)
                .bind(6, 0)
                .run();
        }
        transaction.commit();
        referenceSeconds = secondsSince(start);
    }

    // Queries on a fresh connection.
    store::RunHistory history(file);
    const int64_t lossKey = [&] {
        store::Statement select =
            history.database().prepare("SELECT id FROM metric_keys WHERE name = 'loss'");
        select.step();
        return select.columnInt(0);
    }();
    struct Case {
        const char* name;
        int64_t from;
        int64_t to;
        int pixels;
    };
    const int64_t zoomFrom = numSteps * 45 / 100, zoomTo = zoomFrom + numSteps / 10 - 1;
    const Case cases[] = {{"full, 1000 px", 0, numSteps - 1, 1000},
                          {"full, 2000 px", 0, numSteps - 1, 2000},
                          {"10% zoom, 1000 px", zoomFrom, zoomTo, 1000},
                          {"10% zoom, 2000 px", zoomFrom, zoomTo, 2000}};
    common::JsonWriter json;
    json.beginObject()
        .field("benchmark", "store")
        .field("steps", numSteps)
        .field("keys", numKeys)
        .field("batch_steps", batchSteps);
    json.key("ingest")
        .beginObject()
        .field("rows", numRows)
        .field("seconds", ingestSeconds)
        .field("rows_per_s", double(numRows) / ingestSeconds)
        .field("last_quarter_rows_per_s", double(lastQuarterRows) / lastQuarterSeconds)
        .field("reference_rows", referenceRows)
        .field("reference_rows_per_s", double(referenceRows) / referenceSeconds)
        .field("ratio",
               (double(numRows) / ingestSeconds) / (double(referenceRows) / referenceSeconds))
        .field("database_mb", double(fs::file_size(file)) / 1e6)
        .endObject();
    json.key("queries").beginArray();
    bool allAgree = true;
    for (const Case& c : cases) {
        std::vector<store::SeriesBucket> ours, reference;
        Timing fast = timeRepeats(
            repeats, [&] { ours = history.series(runId, "loss", c.from, c.to, c.pixels); });
        Timing plain = timeRepeats(std::max(1, repeats / 4), [&] {
            reference = rawSeries(history.database(), runId, lossKey, c.from, c.to, c.pixels);
        });
        bool agree = envelope(ours) == envelope(reference) && ours.size() <= size_t(c.pixels);
        allAgree = allAgree && agree;
        json.beginObject()
            .field("case", c.name)
            .field("buckets", int64_t(ours.size()))
            .field("median_ms", fast.medianMs)
            .field("worst_ms", fast.worstMs)
            .field("reference_median_ms", plain.medianMs)
            .field("reference_worst_ms", plain.worstMs)
            .field("ratio", plain.medianMs / fast.medianMs)
            .field("envelope_agrees", agree)
            .endObject();
    }
    json.endArray().endObject();
    std::printf("%s\n", json.str().c_str());
    if (removeDir) fs::remove_all(dir);
    return allAgree ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const common::Error& error) {
        std::fprintf(stderr, "bench_store: error: %s\n", error.what());
        return 1;
    }
}
