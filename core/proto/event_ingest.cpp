#include "core/proto/event_ingest.h"

#include "core/proto/json_fields.h"
#include "core/run/metric_keys.h"

#include <simdjson.h>

#include <cmath>
#include <limits>

namespace strata::proto {

using simdjson::dom::element;
using simdjson::dom::object;

namespace {

// A JSON number or boolean as a double, or nothing for other values.
std::optional<double> numberOf(element value) {
    double number;
    bool flag;
    if (!value.get(number)) return number;
    if (!value.get(flag)) return flag ? 1.0 : 0.0;
    return std::nullopt;
}

}  // namespace

EventIngest::EventIngest(store::RunHistory& history, int64_t runId)
    : m_history(history), m_runId(runId) {
    m_batch.runId = runId;
}

void EventIngest::add(const WorkerMessage& event) {
    object data;
    if (m_parser.parse(event.dataJson).get(data)) return;
    const int64_t step = fieldOr<int64_t>(data, "step", 0);
    auto setState = [&](store::RunState state) {
        m_batch.state = state;
        m_batch.stateSeq = event.seq;
        m_lastState = state;
    };
    auto addMetric = [&](std::string key, double value) {
        m_batch.metrics.push_back({event.seq, std::move(key), step, value, event.time, event.rank});
    };

    if (event.type == "metrics") {
        for (auto [key, value] : data)
            if (std::optional<double> number = numberOf(value); number && key != "step")
                addMetric(std::string(key), *number);
    } else if (event.type == "eval") {
        // loss and perplexity, and a stage's own measures (accuracy, exact_match, ...).
        for (auto [key, value] : data)
            if (std::optional<double> number = numberOf(value);
                number && key != "step" && key != "tokens")
                addMetric(run::validationKey(key), *number);
    } else if (event.type == "router") {
        simdjson::dom::array layers;
        if (data["layers"].get(layers)) return;
        for (element layer : layers) {
            int64_t index;
            if (layer["layer"].get(index)) continue;
            double entropy;
            int64_t dropped;
            if (!layer["entropy"].get(entropy)) addMetric(run::routerEntropyKey(index), entropy);
            if (!layer["dropped"].get(dropped))
                addMetric(run::routerDroppedKey(index), double(dropped));
            simdjson::dom::array load;
            if (!layer["load"].get(load)) {
                // Each expert's share, for the studio's load heatmap, and the largest share.
                double maxLoad = 0;
                int64_t expert = 0;
                for (element share : load) {
                    double value = numberOf(share).value_or(0.0);
                    addMetric(run::routerLoadKey(index, expert++), value);
                    maxLoad = std::max(maxLoad, value);
                }
                addMetric(run::routerMaxLoadKey(index), maxLoad);
            }
        }
    } else if (event.type == "fp8") {
        // Each FP8 layer's amax and scale per operand, and its overflows and underflows.
        simdjson::dom::array layers;
        if (data["layers"].get(layers)) return;
        for (element layer : layers) {
            std::string_view name;
            if (layer["name"].get(name)) continue;
            for (auto [field, series] : {std::pair{"amax", run::kFp8AmaxSeries},
                                         std::pair{"scale", run::kFp8ScaleSeries}}) {
                simdjson::dom::array values;
                if (layer[field].get(values)) continue;
                size_t operand = 0;
                for (element value : values)
                    if (operand < 3)
                        addMetric(run::fp8LayerKey(name, series[operand++]),
                                  numberOf(value).value_or(0.0));
            }
            for (const char* count : {run::kFp8LayerOverflow, run::kFp8LayerUnderflow}) {
                element value;
                if (!layer[count].get(value))
                    addMetric(run::fp8LayerKey(name, count), numberOf(value).value_or(0.0));
            }
        }
    } else if (event.type == "checkpoint") {
        std::string_view path = fieldOr<std::string_view>(data, "path", "");
        double valLoss =
            fieldOr<double>(data, "val_loss", std::numeric_limits<double>::quiet_NaN());
        m_batch.checkpoints.push_back({event.seq, step, std::string(path), valLoss, event.time});
    } else if (event.type == "rollouts") {
        m_batch.rollouts.push_back({event.seq, step, std::string(event.dataJson)});
    } else if (event.type == "log") {
        std::string_view level = fieldOr<std::string_view>(data, "level", "info");
        std::string_view message = fieldOr<std::string_view>(data, "message", "");
        m_batch.logs.push_back(
            {event.seq, event.time, event.rank, std::string(level), std::string(message)});
    } else if (event.type == "run_started") {
        if (step > 0) {
            // The steps after the checkpoint are about to be trained again: the batch that
            // drops their old metrics must not hold metrics from before the restart.
            flush();
            m_batch.truncateAfterStep = step;
            m_batch.truncateSeq = event.seq;
        }
        setState(store::RunState::Running);
        m_batch.startedAt = event.time;
        if (std::string_view config = fieldOr<std::string_view>(data, "config", "");
            !config.empty())
            m_batch.configText = std::string(config);
    } else if (event.type == "paused") {
        setState(store::RunState::Paused);
    } else if (event.type == "resumed") {
        setState(store::RunState::Running);
    } else if (event.type == "run_finished") {
        std::string_view status = fieldOr<std::string_view>(data, "status", "failed");
        std::string_view message = fieldOr<std::string_view>(data, "message", "");
        setState(store::parseRunState(status));
        m_batch.endedAt = event.time;
        if (!message.empty())
            m_batch.logs.push_back({event.seq, event.time, event.rank,
                                    *m_lastState == store::RunState::Failed ? "error" : "warning",
                                    std::string(message)});
    }
    // A writer's first event (one of these two) says where it went on from; the seqs between
    // were lost with the log's tail.
    if (event.type == "run_started" || event.type == "run_finished")
        if (int64_t after = fieldOr<int64_t>(data, "after_seq", event.seq - 1);
            after < event.seq - 1)
            m_batch.lostSeqs = {after, event.seq};
    m_batch.lastSeq = event.seq;
    ++m_pendingEvents;
}

void EventIngest::flush() {
    if (m_pendingEvents == 0) return;
    m_history.ingest(m_batch);
    m_batch = store::IngestBatch{};
    m_batch.runId = m_runId;
    m_pendingEvents = 0;
}

}  // namespace strata::proto
