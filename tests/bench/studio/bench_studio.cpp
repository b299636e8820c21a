// Studio responsiveness benchmark, with real pages on a real run history under the offscreen
// platform. Prints one JSON object.
//
// Streaming: a run with --history-steps steps already recorded goes on logging --rate steps a
// second (each step: loss, lr, grad norm, tokens, throughput and 8 experts' router load), written
// by another thread through its own connection every 200 ms, as the studio's run session does,
// while the Train page shows it (charts and heatmap re-read five times a second). A 5 ms timer
// on the GUI thread measures how late the event loop runs it: the worst lateness is the longest
// stall. The reference, in the same run, refreshes one chart with every raw point of the loss
// instead of the store's downsampled series.
//
// Labels: --labels label commits through the LabelStore (synchronous=FULL, as the Labeling page
// commits on the GUI thread while the streaming run above writes): median and worst ms.
//
// Overlay: --runs runs of --overlay-points loss points each; selecting them all on the Runs page
// and painting the page, --repeats times: median and worst milliseconds. The reference hands the
// chart every raw point of each run.
//
//   bench_studio [--history-steps N] [--rate N] [--seconds S] [--runs N] [--overlay-points N]
//                [--repeats N] [--no-reference]
#include "app/cli/arg_parser.h"
#include "core/common/json_writer.h"
#include "core/store/label_store.h"
#include "core/store/run_history.h"
#include "ui/runs/runs_page.h"
#include "ui/train/train_page.h"
#include "widgets/metric_chart.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

using namespace strata;
namespace fs = std::filesystem;

namespace {

constexpr int kExperts = 8;
constexpr int kFlushMilliseconds = 200;
constexpr int kProbeMilliseconds = 5;

// One logged step: every key the Train page reads, at `step`.
void addStep(store::IngestBatch& batch, int64_t step) {
    double wall = 1.7e9 + 0.01 * double(step);
    auto add = [&](const std::string& key, double value) {
        batch.metrics.push_back({step, key, step, value, wall, 0});
    };
    add("loss", 2.0 + 8.0 / std::sqrt(double(step)) + 0.05 * std::sin(double(step)));
    add("lr", 3e-4);
    add("grad_norm", 1.0 + 0.1 * std::cos(double(step)));
    add("tokens", 4096.0 * double(step));
    add("tokens_per_second", 50000);
    for (int expert = 0; expert < kExperts; ++expert)
        add(fmt::format("router.1.load.{}", expert),
            (1.0 + 0.3 * std::sin(double(step) / 500 + expert)) / kExperts);
    batch.lastSeq = step;
}

void fill(store::RunHistory& history, int64_t runId, int64_t from, int64_t to,
          bool lossOnly = false) {
    for (int64_t start = from; start <= to; start += 10000) {
        store::IngestBatch batch;
        batch.runId = runId;
        for (int64_t step = start; step < std::min(to + 1, start + 10000); ++step) {
            if (lossOnly) {
                batch.metrics.push_back(
                    {step, "loss", step, 2.0 + 8.0 / std::sqrt(double(step)), 1.7e9, 0});
                batch.lastSeq = step;
            } else {
                addStep(batch, step);
            }
        }
        history.ingest(batch);
    }
}

// Runs the event loop for `seconds` and returns the worst lateness of a 5 ms timer, in ms.
double worstStall(double seconds) {
    QElapsedTimer clock;
    clock.start();
    qint64 expected = kProbeMilliseconds;
    double worst = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        qint64 now = clock.elapsed();
        worst = std::max(worst, double(now - expected));
        expected = now + kProbeMilliseconds;
    });
    probe.start(kProbeMilliseconds);
    QEventLoop loop;
    QTimer::singleShot(int(seconds * 1000), &loop, &QEventLoop::quit);
    loop.exec();
    return worst;
}

// Streams `rate` steps a second into the run from a thread of its own until stopped.
struct Streamer {
    std::atomic<bool> stop{false};
    std::thread thread;
    Streamer(fs::path file, int64_t runId, int64_t firstStep, int rate) {
        thread = std::thread([=, this] {
            store::RunHistory writer(file);
            int64_t step = firstStep;
            const int perFlush = std::max(1, rate * kFlushMilliseconds / 1000);
            while (!stop) {
                store::IngestBatch batch;
                batch.runId = runId;
                for (int i = 0; i < perFlush; ++i)
                    addStep(batch, step++);
                writer.ingest(batch);
                std::this_thread::sleep_for(std::chrono::milliseconds(kFlushMilliseconds));
            }
        });
    }
    ~Streamer() {
        stop = true;
        thread.join();
    }
};

QList<QPointF> rawPoints(store::RunHistory& history, int64_t runId) {
    QList<QPointF> points;
    // A pixel width beyond the step count: the finest level, one bucket per step.
    for (const store::SeriesBucket& bucket :
         history.series(runId, "loss", 0, std::numeric_limits<int64_t>::max(), 1 << 30))
        points.append({double(bucket.firstStep), bucket.firstValue});
    return points;
}

double millisecondsOf(const std::function<void()>& action) {
    QElapsedTimer clock;
    clock.start();
    action();
    return double(clock.nsecsElapsed()) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM",
            qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    app::ArgParser parser("bench_studio", "[options]", "Studio responsiveness benchmark.");
    parser.option("history-steps", 0, "N", "steps recorded before streaming (200000)")
        .option("rate", 0, "N", "steps logged per second while streaming (100)")
        .option("seconds", 0, "S", "how long to stream, each way (20)")
        .option("runs", 0, "N", "runs in the overlay (4)")
        .option("overlay-points", 0, "N", "loss points per overlaid run (1000000)")
        .option("repeats", 0, "N", "overlay redraws measured (5)")
        .option("labels", 0, "N", "label commits measured (200)")
        .flag("no-reference", 0, "skip the references (for profiling the studio's side)");
    std::vector<std::string> args(argv + 1, argv + argc);
    app::ParsedArgs parsed = parser.parse(args);
    const int64_t historySteps = parsed.intValue("history-steps", 200000);
    const int rate = int(parsed.intValue("rate", 100));
    const double seconds = double(parsed.intValue("seconds", 20));
    const int numRuns = int(parsed.intValue("runs", 4));
    const int64_t overlayPoints = parsed.intValue("overlay-points", 1000000);
    const int repeats = int(parsed.intValue("repeats", 5));
    const bool references = !parsed.has("no-reference");
    const int numLabels = int(parsed.intValue("labels", 200));

    QTemporaryDir dir;
    fs::path workspace = dir.path().toStdString();
    fs::path file = workspace / "strata.db";
    store::RunHistory history(file);

    // Streaming, the studio's way: the Train page on the live run.
    int64_t live = history.createRun({"live", "local", "pretrain"});
    fill(history, live, 1, historySteps);
    double studioStall = 0;
    {
        ui::TrainPage page(history, workspace, "strata-cli");
        page.resize(1400, 900);
        page.show();
        page.showRun(live);
        Streamer streamer(file, live, historySteps + 1, rate);
        studioStall = worstStall(seconds);
    }
    // Label commits, each durable when it returns, while a run is being written.
    std::vector<double> labelCommits;
    {
        store::LabelStore labels(file);
        std::vector<store::PreferencePair> pairs(size_t(numLabels),
                                                 {0, "prompt", "left answer", "right answer"});
        std::vector<int64_t> ids = labels.addPairs(pairs);
        Streamer streamer(file, live, historySteps + 100000, rate);
        for (int64_t id : ids)
            labelCommits.push_back(
                millisecondsOf([&] { labels.label(id, "ana", store::Choice::A); }));
    }
    std::sort(labelCommits.begin(), labelCommits.end());

    // The reference: one chart given every raw loss point at each refresh.
    int64_t liveReference = history.createRun({"live-reference", "local", "pretrain"});
    fill(history, liveReference, 1, historySteps);
    double referenceStall = 0;
    if (references) {
        widgets::MetricChart chart;
        chart.resize(1400, 450);
        chart.show();
        QTimer refresh;
        QObject::connect(&refresh, &QTimer::timeout,
                         [&] { chart.setSeries("train", rawPoints(history, liveReference)); });
        refresh.start(kFlushMilliseconds);
        Streamer streamer(file, liveReference, historySteps + 1, rate);
        referenceStall = worstStall(seconds);
    }

    // Overlay: the Runs page selecting every run.
    QList<int64_t> runs;
    for (int i = 0; i < numRuns; ++i) {
        int64_t id = history.createRun({fmt::format("overlay-{}", i), "local", "pretrain"});
        fill(history, id, 1, overlayPoints, true);
        runs << id;
    }
    std::vector<double> overlay;
    {
        store::LocalRunCatalog catalog(history, workspace);
        ui::RunsPage page(catalog);
        page.resize(1600, 1000);
        page.show();
        QApplication::processEvents();
        for (int i = 0; i < repeats; ++i) {
            page.selectRuns({});
            QApplication::processEvents();
            overlay.push_back(millisecondsOf([&] {
                page.selectRuns(runs);
                page.grab();  // paints the page, the chart included
            }));
        }
    }
    std::sort(overlay.begin(), overlay.end());
    double overlayReference = 0;
    size_t referencePoints = 0;
    if (references) {
        widgets::MetricChart chart;
        chart.resize(1600, 500);
        chart.show();
        overlayReference = millisecondsOf([&] {
            for (int64_t runId : runs) {
                QList<QPointF> points = rawPoints(history, runId);
                referencePoints += size_t(points.size());
                chart.setSeries(QString::number(runId), points);
            }
            chart.grab();
        });
    }

    common::JsonWriter json;
    json.beginObject()
        .key("streaming")
        .beginObject()
        .field("history_steps", historySteps)
        .field("steps_per_second", int64_t(rate))
        .field("metrics_per_step", int64_t(5 + kExperts))
        .field("seconds", seconds)
        .field("worst_stall_ms", studioStall)
        .field("reference_worst_stall_ms", referenceStall)
        .field("ratio", referenceStall / std::max(studioStall, 1e-3))
        .endObject()
        .key("labels")
        .beginObject()
        .field("commits", int64_t(labelCommits.size()))
        .field("median_ms", labelCommits[labelCommits.size() / 2])
        .field("worst_ms", labelCommits.back())
        .endObject()
        .key("overlay")
        .beginObject()
        .field("runs", int64_t(numRuns))
        .field("points_per_run", overlayPoints)
        .field("median_ms", overlay[overlay.size() / 2])
        .field("worst_ms", overlay.back())
        .field("reference_ms", overlayReference)
        .field("reference_points", int64_t(referencePoints))
        .field("ratio", overlayReference / std::max(overlay[overlay.size() / 2], 1e-3))
        .endObject()
        .endObject();
    std::puts(json.str().c_str());
    return 0;
}
