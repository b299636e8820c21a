// A tiny alignment setup in a folder: the tiny tokenizer of tests/tiny_data.h (with the chat
// template's role tokens), a randomly initialized model folder to start from, small JSONL data
// files and run configs for each stage that train a step in milliseconds.
#pragma once

#include "core/align/stage_trainers.h"
#include "core/common/config_reader.h"
#include "core/model/model_folder.h"
#include "core/model/safetensors.h"
#include "core/run/run_config.h"
#include "tests/core/run/recording_sink.h"
#include "tests/tiny_data.h"

#include <QTemporaryDir>

#include <fmt/format.h>
#include <torch/torch.h>

#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>
#include <utility>

namespace tiny {

inline void writeLines(const fs::path& path, const std::vector<std::string>& lines) {
    std::ofstream out(path);
    for (const std::string& line : lines)
        out << line << "\n";
}

using DataFiles = std::vector<std::pair<std::string, std::vector<std::string>>>;

// A test's alignment setup in its temporary folder `dir`: tokenizer.json, the model folder
// init/ (the tiny model with a context of 64) and `files` (name, lines); returns the folder.
inline fs::path writeAlignmentSetup(const QTemporaryDir& dir, const DataFiles& files) {
    if (!dir.isValid()) throw std::runtime_error(dir.errorString().toStdString());
    const fs::path root = dir.path().toStdString();
    writeData(root, 200);
    common::ConfigReader reader = common::ConfigReader::fromString(kConfig, "tiny.toml");
    reader.applyOverride("model.context_length=64");
    run::RunConfig config = run::readRunConfig(reader, common::pathsRelativeTo(root));
    torch::manual_seed(3);
    model::Transformer model(config.model);
    fs::create_directories(root / "init");
    model::writeModelFiles(root / "init", config.model, model, root / "tokenizer.json");
    for (const auto& [name, lines] : files)
        writeLines(root / name, lines);
    return root;
}

// `count` preference pairs whose chosen response is the shorter, from the tiny corpus's words.
inline std::vector<std::string> shorterIsBetter(int count) {
    const std::vector<std::string> words{"the", "cat",    "sees",   "a",   "red",   "house",
                                         "my",  "friend", "builds", "two", "green", "apples"};
    std::mt19937 random(11);
    auto sentence = [&](int length) {
        std::string text;
        for (int i = 0; i < length; ++i)
            text += (i ? " " : "") + words[random() % words.size()];
        return text;
    };
    std::vector<std::string> lines;
    for (int i = 0; i < count; ++i)
        lines.push_back(fmt::format(R"({{"prompt": "{}", "chosen": "{}", "rejected": "{}"}})",
                                    sentence(3), sentence(1 + int(random() % 3)),
                                    sentence(6 + int(random() % 4))));
    return lines;
}

// `count` tasks "Echo: d" -> "d" of a random digit, as task-set lines ({"prompt", "answer"}) or,
// with `asSft`, as SFT lines ({"prompt", "completion"}).
inline std::vector<std::string> echoTasks(int count, uint32_t seed, bool asSft = false) {
    std::mt19937 random(seed);
    std::vector<std::string> lines;
    for (int i = 0; i < count; ++i) {
        unsigned digit = random() % 10;
        lines.push_back(fmt::format(R"({{"prompt": "Echo: {}", "{}": "{}"}})", digit,
                                    asSft ? "completion" : "answer", digit));
    }
    return lines;
}

// A stage's run config in `dir`: init.model is `dir`/init, data.train `train`, then `overrides`.
inline run::RunConfig stageConfig(const fs::path& dir, const char* stage, const std::string& train,
                                  const std::vector<std::string>& overrides = {}) {
    std::string text = fmt::format(R"([init]
model = "init"

[data]
train = "{}"
val_fraction = 0.2

[train]
stage = "{}"
sequence_length = 64
micro_batch_size = 8
max_steps = 10
eval_every = 5
eval_batches = 2
seed = 5
threads = 1

[checkpoint]
every = 5
)",
                                   train, stage);
    common::ConfigReader reader = common::ConfigReader::fromString(text, "stage.toml");
    for (const std::string& assignment : overrides)
        reader.applyOverride(assignment);
    return run::readRunConfig(reader, common::pathsRelativeTo(dir));
}

// Runs a stage to its end and returns what it reported.
inline std::unique_ptr<RecordingSink> runStage(const run::RunConfig& config, const fs::path& runDir,
                                               bool resume = false) {
    auto sink = std::make_unique<RecordingSink>();
    align::makeStageTrainer(config, runDir, *sink, resume)->run();
    return sink;
}

// Whether two safetensors files hold the same tensors, bit for bit.
inline bool sameTensors(const fs::path& a, const fs::path& b) {
    auto first = model::loadSafetensors(a).tensors, second = model::loadSafetensors(b).tensors;
    if (first.size() != second.size()) return false;
    for (const auto& [name, tensor] : first)
        if (!second.count(name) || !torch::equal(tensor, second.at(name))) return false;
    return true;
}

// The value of a stage's metric in `extra`; NaN when absent.
inline double metric(const std::vector<run::NamedValue>& extra, const std::string& name) {
    for (const run::NamedValue& value : extra)
        if (value.name == name) return value.value;
    return std::nan("");
}

}  // namespace tiny
