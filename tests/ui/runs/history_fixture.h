// A run history on disk with runs in it, for the Runs page's tests: each run gets a config and a
// loss curve through the same ingest the worker client uses.
#pragma once

#include "core/store/run_catalog.h"

#include <QTemporaryDir>

#include <cmath>
#include <string>

struct HistoryFixture {
    QTemporaryDir dir;
    strata::store::RunHistory history{dir.filePath("strata.db").toStdString()};
    // What the Runs page reads the history through.
    strata::store::LocalRunCatalog runs{history, dir.path().toStdString()};

    // A completed run with `steps` loss points falling from `start`, and config lr = `lr`.
    int64_t addRun(const std::string& name, int steps, double start, const std::string& lr,
                   const std::vector<std::string>& tags = {}) {
        strata::store::NewRun run;
        run.name = name;
        run.host = "local";
        run.createdBy = "ana";
        run.stage = "pretrain";
        run.configText = "[model]\nd_model = 32\n[optim]\nlr = " + lr +
                         "\n[train]\nmax_steps = " + std::to_string(steps) + "\n";
        run.tags = tags;
        int64_t id = history.createRun(run);
        strata::store::IngestBatch batch;
        batch.runId = id;
        for (int step = 1; step <= steps; ++step) {
            batch.metrics.push_back(
                {step, "loss", step, start * std::exp(-step / 50.0), 1e9 + step});
            batch.metrics.push_back({step, "lr", step, 1e-3, 1e9 + step});
        }
        batch.lastSeq = steps + 1;
        batch.stateSeq = steps + 1;
        batch.state = strata::store::RunState::Completed;
        batch.startedAt = 1e9;
        batch.endedAt = 1e9 + 125;
        history.ingest(batch);
        return id;
    }
};
