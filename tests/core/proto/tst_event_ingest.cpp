// Ingesting a run's events into a real SQLite run history: an fp8 event becomes each layer's
// amax and scale per operand and its overflow and underflow counts, at the event's step; the
// precision's fields of the metrics event (loss_scale, overflow_steps) become metrics like any
// other; a malformed layer is skipped without losing the rest.
#include "core/proto/event_ingest.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace strata;
namespace fs = std::filesystem;

namespace {

proto::WorkerMessage runEvent(int64_t seq, const char* type, const char* data) {
    proto::WorkerMessage message;
    message.kind = proto::MessageKind::RunEvent;
    message.run = "run-1";
    message.seq = seq;
    message.time = 1.8e9;
    message.type = type;
    message.dataJson = data;
    return message;
}

double valueAt(store::RunHistory& history, int64_t run, const std::string& key, int64_t step) {
    std::vector<store::SeriesBucket> buckets = history.series(run, key, step, step, 100);
    return buckets.empty() ? -1 : buckets.front().lastValue;
}

}  // namespace

class TestEventIngest : public QObject {
    Q_OBJECT

private slots:
    void fp8LayersBecomeMetrics() {
        QTemporaryDir tmp;
        store::RunHistory history(fs::path(tmp.path().toStdString()) / "strata.db");
        int64_t run = history.createRun({"run-1", "local", "pretrain"});
        proto::EventIngest ingest(history, run);
        ingest.add(runEvent(1, "metrics",
                            R"({"step":3,"loss":2.5,"loss_scale":32768,"overflow_steps":2})"));
        ingest.add(runEvent(2, "fp8", R"({"step":3,"layers":[
            {"name":"block0.attention.wq.weight","amax":[4.5,0.25,0.001],
             "scale":[64,1024,32768],"overflow":0,"underflow":17},
            {"amax":[1,2,3]},
            {"name":"block1.moe.experts.gate","amax":[2,3,4],"scale":[128,128,8192],
             "overflow":5,"underflow":0}]})"));
        ingest.flush();

        QCOMPARE(valueAt(history, run, "loss_scale", 3), 32768.0);
        QCOMPARE(valueAt(history, run, "overflow_steps", 3), 2.0);
        const std::string wq = "fp8.block0.attention.wq.weight.";
        QCOMPARE(valueAt(history, run, wq + "input_amax", 3), 4.5);
        QCOMPARE(valueAt(history, run, wq + "weight_amax", 3), 0.25);
        QCOMPARE(valueAt(history, run, wq + "grad_amax", 3), 0.001);
        QCOMPARE(valueAt(history, run, wq + "grad_scale", 3), 32768.0);
        QCOMPARE(valueAt(history, run, wq + "underflow", 3), 17.0);
        QCOMPARE(valueAt(history, run, "fp8.block1.moe.experts.gate.overflow", 3), 5.0);
        std::vector<std::string> keys = history.metricKeys(run);
        QCOMPARE(std::count_if(keys.begin(), keys.end(),
                               [](const std::string& key) { return key.starts_with("fp8."); }),
                 long(16));  // 8 per named layer; the nameless one is skipped
    }
};

QTEST_GUILESS_MAIN(TestEventIngest)
#include "tst_event_ingest.moc"
