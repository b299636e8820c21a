// A worker workspace holding the tiny training data (tests/tiny_data.h) in data/, with run specs
// over it and a local target for it: the worker tests start real `strata-cli train` processes.
#pragma once

#include "core/proto/protocol.h"
#include "core/proto/worker_target.h"
#include "tests/tiny_data.h"

#include <QTemporaryDir>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

struct TinyWorkspace {
    QTemporaryDir dir;
    std::filesystem::path root{dir.path().toStdString()};

    TinyWorkspace() { tiny::writeData(root / "data"); }

    // A pretraining run of `maxSteps` steps, checkpointing every `checkpointEvery`.
    strata::proto::RunSpec spec(int maxSteps, int checkpointEvery) const {
        std::string config = tiny::kConfig;
        auto replace = [&](const std::string& from, const std::string& to) {
            config.replace(config.find(from), from.size(), to);
        };
        replace("max_steps = 6", "max_steps = " + std::to_string(maxSteps) + "\nthreads = 1");
        replace("eval_every = 3", "eval_every = " + std::to_string(checkpointEvery));
        replace("[checkpoint]\nevery = 3",
                "[checkpoint]\nevery = " + std::to_string(checkpointEvery));
        strata::proto::RunSpec spec;
        spec.name = "tiny";
        spec.configText = config;
        spec.shards = "data/shards";
        spec.tokenizer = "data/tokenizer.json";
        return spec;
    }

    // The spec's config as a file at the workspace's top, its data paths relative to it (as a
    // user's config reads them); returns the file's path.
    std::filesystem::path writeConfig(const std::string& name, int maxSteps,
                                      int checkpointEvery) const {
        std::string config = spec(maxSteps, checkpointEvery).configText;
        for (const char* file : {"shards", "tokenizer.json"}) {
            std::string from = std::string("\"") + file + "\"";
            config.replace(config.find(from), from.size(), std::string("\"data/") + file + "\"");
        }
        std::filesystem::path path = root / name;
        std::ofstream(path) << config;
        return path;
    }

    strata::proto::WorkerTarget target() const {
        strata::proto::WorkerTarget target;
        target.cli = STRATA_CLI;
        target.workspace = root.string();
        return target;
    }

    std::filesystem::path runDir(const std::string& run) const { return root / "runs" / run; }

    // The pid of the run's (first) trainer process, from its process.json.
    pid_t trainerPid(const std::string& run) const {
        std::ifstream in(runDir(run) / "process.json");
        std::stringstream text;
        text << in.rdbuf();
        std::string json = text.str();
        size_t at = json.find("\"pid\":");
        return at == std::string::npos ? 0 : pid_t(std::stol(json.substr(at + 6)));
    }
};

// Waits up to `seconds` for `condition`.
template <typename Condition>
bool waitFor(Condition condition, int seconds = 60) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}
