// A workspace on disk for the Home page's tests, filled the way the studio and strata-cli fill one:
// dataset and tokenizer folders with their files, model folders with a model.toml, and runs,
// checkpoints and labels in a real strata.db through core/store.
#pragma once

#include "core/common/workspace_paths.h"
#include "core/model_spec/model_config.h"
#include "core/store/label_store.h"
#include "core/store/run_history.h"

#include <QTemporaryDir>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

struct PipelineWorkspace {
    QTemporaryDir dir;
    std::filesystem::path root{dir.path().toStdString()};
    strata::store::RunHistory history{strata::common::historyFile(root)};
    strata::store::LabelStore labels{strata::common::historyFile(root)};

    void write(const std::filesystem::path& relative, const std::string& content) {
        std::filesystem::create_directories((root / relative).parent_path());
        std::ofstream(root / relative) << content;
    }

    // datasets/<name>: its sources, a cleaned corpus with its funnel (`kept` of `read` documents)
    // and shards of `tokens` tokens made with tokenizers/<name>.
    void addDataset(const std::string& name, int read, int kept, int tokens) {
        const std::string folder = "datasets/" + name + "/";
        write(folder + "sources.txt", "/raw/corpus.txt\n");
        write(folder + "clean.jsonl.zst", "not read");
        write(folder + "funnel.json", "{\"input\": {\"documents\": " + std::to_string(read) +
                                          "}, \"output\": {\"documents\": " + std::to_string(kept) +
                                          "}}");
        const int validation = tokens / 10;
        write(folder + "shards/manifest.json",
              "{\"format\": \"strata-token-shards\", \"tokenizer\": {\"path\": \"" +
                  (root / "tokenizers" / name / "tokenizer.json").string() +
                  "\", \"vocab_size\": 512}, \"report\": {\"train\": {\"tokens\": " +
                  std::to_string(tokens - validation) +
                  "}, \"validation\": {\"tokens\": " + std::to_string(validation) + "}}}");
    }

    // tokenizers/<name>/tokenizer.json, recorded in the history with its vocabulary size as
    // `strata-cli datasets record` records it.
    void addTokenizer(const std::string& name, int vocabSize) {
        const std::string path = "tokenizers/" + name + "/tokenizer.json";
        write(path, "{}");
        history.recordTokenizer(
            {path, "fingerprint", "{\"vocab_size\":" + std::to_string(vocabSize) + "}"});
    }

    // models/<name>/model.toml of a dense Llama, as `strata-cli import` writes it.
    strata::model_spec::ModelConfig addModel(const std::string& name) {
        strata::model_spec::ModelConfig config;
        config.family = strata::model_spec::ModelFamily::Llama;
        config.numDenseLayers = config.numLayers;
        write("models/" + name + "/model.toml", strata::model_spec::modelConfigText(config));
        return config;
    }

    // A run of `stage` in `state` with a loss curve of `steps` steps ending at `finalLoss`, the
    // extra metrics given (key, value at the last step) and checkpoints at the given steps.
    int64_t addRun(const std::string& name, const std::string& stage, strata::store::RunState state,
                   int steps, double finalLoss,
                   const std::vector<std::pair<std::string, double>>& metrics = {},
                   const std::vector<int64_t>& checkpointSteps = {}) {
        strata::store::NewRun run;
        run.name = name;
        run.host = "local";
        run.stage = stage;
        run.runDir = (root / "runs" / name).string();
        const int64_t id = history.createRun(run);
        strata::store::IngestBatch batch;
        batch.runId = id;
        int64_t seq = 0;
        for (int step = 1; step <= steps; ++step)
            batch.metrics.push_back({++seq, "loss", step, finalLoss + (steps - step), 1e9 + step});
        for (const auto& [key, value] : metrics)
            batch.metrics.push_back({++seq, key, steps, value, 1e9 + steps});
        for (int64_t step : checkpointSteps) {
            const std::string folder = "checkpoints/step-" + std::to_string(step);
            std::filesystem::create_directories(root / "runs" / name / folder);
            batch.checkpoints.push_back({++seq, step, folder, NAN, 1e9 + double(step)});
        }
        batch.lastSeq = ++seq;
        batch.stateSeq = seq;
        batch.state = state;
        batch.startedAt = 1e9;
        if (strata::store::hasEnded(state)) batch.endedAt = 1e9 + steps;
        history.ingest(batch);
        return id;
    }
};
