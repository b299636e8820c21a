// Turns one run's events, as a worker streams them, into the run history's ingest batches (the
// metric keys are core/run/metric_keys.h's):
//   metrics  → one metric per numeric field ("loss", "lr", "grad_norm", ...) at its step
//   eval     → "val_loss", "val_perplexity"
//   router   → "router.L.entropy", "router.L.max_load", "router.L.dropped" and each expert E's
//              share "router.L.load.E", per MoE layer
//   fp8      → "fp8.W.input_amax", "fp8.W.weight_scale", ... (amax and scale of each operand),
//              "fp8.W.overflow" and "fp8.W.underflow", per FP8 layer W (its weight's name)
//   log      → a log row; checkpoint → a checkpoint row
//   rollouts → the step's row of the rollout inspector, its data kept as JSON text
//   run_started, paused, resumed, run_finished → the run's state (and when it started, ended)
// A run_started that resumes from step S begins a batch of its own that first drops the stored
// metrics after S, which the resumed run is about to write again. An event with an after_seq
// below its seq - 1 (a writer's first, after a power loss took the log's tail) drops the stored
// logs, checkpoints and rollouts between the two, which the log no longer holds.
#pragma once

#include "core/proto/protocol.h"
#include "core/store/run_history.h"

#include <simdjson.h>

#include <optional>

namespace strata::proto {

class EventIngest {
public:
    EventIngest(store::RunHistory& history, int64_t runId);

    // Adds one event of this run; events come in seq order.
    void add(const WorkerMessage& event);
    // Stores what was added since the last flush, in one transaction.
    void flush();
    size_t pendingEvents() const { return m_pendingEvents; }
    // The state the last state event announced, if any came.
    std::optional<store::RunState> lastState() const { return m_lastState; }

private:
    store::RunHistory& m_history;
    int64_t m_runId;
    simdjson::dom::parser m_parser;  // kept across events: its buffers are allocated once
    store::IngestBatch m_batch;
    size_t m_pendingEvents = 0;
    std::optional<store::RunState> m_lastState;
};

}  // namespace strata::proto
