// Labeling queue benchmark over SSH. Three annotators, each through an SSH connection of its own
// (a real sshd on 127.0.0.1, started here) to the workspace's worker, label --pairs pairs (one
// label each) as fast as they can while a run streams into the same database: --keys metrics a
// step at --steps-per-second, ingested through RunHistory in batches every 100 ms as a run's
// follower does. Measured: the commit latency of each label, from sending it to its reply (the
// label is then on disk on the host, synchronous=FULL): p50, p95, p99 and the worst, in ms. The
// reference, measured in the same run on a database of its own under the same stream, is one
// annotator committing labels through LabelStore directly, with no SSH and no worker: the
// floor the remote path adds its round trip to. Prints one JSON object.
//
//   bench_label_queue [--pairs N] [--keys N] [--steps-per-second N]
#include "app/cli/arg_parser.h"
#include "core/common/json_writer.h"
#include "core/common/workspace_paths.h"
#include "core/proto/remote_label_queue.h"
#include "core/store/run_history.h"
#include "tests/core/proto/ssh_server.h"

#include <QCoreApplication>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <mutex>
#include <thread>

using namespace strata;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double millisecondsSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// A run's metrics arriving in the workspace's database while the annotators label.
class MetricStream {
public:
    MetricStream(const fs::path& database, int keys, int stepsPerSecond)
        : m_thread([this, database, keys, stepsPerSecond] {
              store::RunHistory history(database);
              const int64_t runId = history.createRun({"stream", "local", "pretrain"});
              int64_t step = 0, seq = 0;
              while (!m_stop) {
                  store::IngestBatch batch;
                  batch.runId = runId;
                  for (int i = 0; i < std::max(1, stepsPerSecond / 10); ++i, ++step) {
                      ++seq;
                      for (int key = 0; key < keys; ++key)
                          batch.metrics.push_back({seq, fmt::format("metric_{}", key), step,
                                                   double(key) / double(step + 1), 1.7e9, 0});
                  }
                  batch.lastSeq = seq;
                  history.ingest(batch);
                  m_rows += int64_t(batch.metrics.size());
                  std::this_thread::sleep_for(std::chrono::milliseconds(100));
              }
          }) {}
    ~MetricStream() {
        m_stop = true;
        m_thread.join();
    }
    int64_t rows() const { return m_rows; }

private:
    std::atomic<bool> m_stop{false};
    std::atomic<int64_t> m_rows{0};
    std::thread m_thread;
};

struct Percentiles {
    double p50 = 0, p95 = 0, p99 = 0, worst = 0;
};

Percentiles percentiles(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    auto at = [&](double q) { return values[size_t(q * double(values.size() - 1))]; };
    return {at(0.5), at(0.95), at(0.99), values.back()};
}

void writePairs(const fs::path& path, int numPairs) {
    std::ofstream out(path);
    for (int i = 1; i <= numPairs; ++i)
        out << "{\"prompt\": \"question " << i << "\", \"response_a\": \"yes " << i
            << "\", \"response_b\": \"no " << i << "\"}\n";
}

void addLatencies(common::JsonWriter& json, const char* key, const Percentiles& ms) {
    json.key(key)
        .beginObject()
        .field("p50_ms", ms.p50)
        .field("p95_ms", ms.p95)
        .field("p99_ms", ms.p99)
        .field("max_ms", ms.worst)
        .endObject();
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication application(argc, argv);
    app::ArgParser parser("bench_label_queue", "[--pairs N] [--keys N] [--steps-per-second N]",
                          "Commit latency of three annotators labeling over SSH.");
    parser.option("pairs", 'n', "N", "pairs to label (default 300)")
        .option("keys", 0, "N", "metrics a step of the streaming run (default 8)")
        .option("steps-per-second", 0, "N", "steps a second of the streaming run (default 50)");
    app::ParsedArgs args = parser.parse(std::vector<std::string>(argv + 1, argv + argc));
    if (args.helpRequested) {
        fmt::print("{}", parser.help());
        return 0;
    }
    const int numPairs = int(args.intValue("pairs", 300));
    const int keys = int(args.intValue("keys", 8));
    const int stepsPerSecond = int(args.intValue("steps-per-second", 50));

    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    const fs::path pairs = root / "pairs.jsonl";
    writePairs(pairs, numPairs);

    // The reference: one annotator on this machine, LabelStore directly.
    std::vector<double> local;
    {
        fs::create_directories(root / "local");
        const fs::path database = common::historyFile(root / "local");
        store::LabelStore labels(database);
        labels.importPreferences(pairs, "bench");
        MetricStream stream(database, keys, stepsPerSecond);
        while (std::optional<store::PreferencePair> pair = labels.claimNext("ana")) {
            Clock::time_point start = Clock::now();
            labels.label(pair->id, "ana", store::Choice::A, {}, false,
                         fmt::format("l-{}", pair->id));
            local.push_back(millisecondsSince(start));
        }
    }

    SshServer ssh;
    if (!ssh.started()) {
        fmt::print(stderr, "bench_label_queue: sshd did not start: {}\n", ssh.log().toStdString());
        return 1;
    }
    fs::create_directories(root / "host");
    const proto::WorkerTarget target = ssh.target(STRATA_CLI, (root / "host").string());
    proto::RemoteLabelQueue(target).importPairs(pairs, {});
    std::vector<double> remote;
    std::mutex remoteMutex;
    int64_t streamed = 0;
    Clock::time_point start;
    double seconds = 0;
    {
        MetricStream stream(common::historyFile(root / "host"), keys, stepsPerSecond);
        std::atomic<int> connected{0};
        std::vector<std::thread> annotators;
        for (const char* name : {"ana", "bo", "cy"})
            annotators.emplace_back([&, name] {
                proto::RemoteLabelQueue queue(target);
                queue.identity();
                ++connected;
                while (connected < 3)
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                std::vector<double> mine;
                while (std::optional<store::PreferencePair> pair = queue.claim(name)) {
                    Clock::time_point sent = Clock::now();
                    queue.submit({pair->id,
                                  name,
                                  store::Choice::A,
                                  {},
                                  false,
                                  fmt::format("{}-{}", name, pair->id)});
                    mine.push_back(millisecondsSince(sent));
                }
                std::lock_guard lock(remoteMutex);
                remote.insert(remote.end(), mine.begin(), mine.end());
            });
        while (connected < 3)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        start = Clock::now();
        for (std::thread& annotator : annotators)
            annotator.join();
        seconds = millisecondsSince(start) / 1000;
        streamed = stream.rows();
    }

    const Percentiles remoteMs = percentiles(remote);
    const Percentiles localMs = percentiles(local);
    common::JsonWriter json;
    json.beginObject()
        .field("pairs", int64_t(numPairs))
        .field("labels", int64_t(remote.size()))
        .field("labels_per_second", double(remote.size()) / seconds)
        .field("streamed_metric_rows", streamed);
    addLatencies(json, "remote_three_annotators", remoteMs);
    addLatencies(json, "reference_local_store", localMs);
    json.field("p99_ratio", remoteMs.p99 / localMs.p99).endObject();
    fmt::print("{}\n", json.str());
    return remoteMs.p99 < 100 ? 0 : 2;
}
