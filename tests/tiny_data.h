// A tiny, complete training setup in a folder: a generated corpus, a 300-token BPE tokenizer
// trained on it, a shard set, and a run config for a two-layer MoE model (one dense layer, one
// MoE layer with a shared expert and the auxiliary-loss-free bias) that trains a step in
// milliseconds. Needs no LibTorch: the worker's tests start real runs from it too.
#pragma once

#include "core/cleaning/document_reader.h"
#include "core/data/shard_builder.h"
#include "core/tokenizer/bpe_trainer.h"
#include "core/tokenizer/tokenizer_json.h"

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace tiny {

namespace fs = std::filesystem;
using namespace strata;

inline constexpr int kVocabSize = 300;

// Sentences from a small grammar, seeded: enough structure for the loss to fall quickly.
inline std::vector<std::string> corpus(int numDocuments) {
    const std::vector<std::string> subjects{"the cat",     "a dog",    "my friend",
                                            "the teacher", "our team", "the robot"};
    const std::vector<std::string> verbs{"sees", "likes", "builds", "paints", "finds", "reads"};
    const std::vector<std::string> objects{"a red house",   "the old map",    "two green apples",
                                           "a long letter", "the small boat", "many books"};
    std::mt19937 random(7);
    std::vector<std::string> documents;
    for (int d = 0; d < numDocuments; ++d) {
        std::string text;
        for (int s = 0; s < 4; ++s)
            text += subjects[random() % subjects.size()] + " " + verbs[random() % verbs.size()] +
                    " " + objects[random() % objects.size()] + ". ";
        documents.push_back(text);
    }
    return documents;
}

// Writes tokenizer.json and shards/ into `dir`; returns the shard report.
inline data::ShardReport writeData(const fs::path& dir, int numDocuments = 400,
                                   double validationFraction = 0.1) {
    fs::create_directories(dir);
    std::vector<std::string> documents = corpus(numDocuments);
    {
        std::ofstream out(dir / "corpus.jsonl");
        for (const std::string& text : documents)
            out << "{\"text\": \"" << text << "\"}\n";
    }
    tokenizer::TrainerConfig trainerConfig;
    trainerConfig.vocabSize = kVocabSize;
    trainerConfig.numThreads = 1;
    tokenizer::BpeTrainer trainer(trainerConfig);
    std::vector<std::string_view> views(documents.begin(), documents.end());
    trainer.addDocuments(views);
    tokenizer::saveTokenizerJson(trainer.train(), dir / "tokenizer.json");
    tokenizer::Tokenizer tok = tokenizer::loadTokenizer(dir / "tokenizer.json");

    data::TokenizerInfo info{(dir / "tokenizer.json").string(),
                             tokenizer::tokenizerFingerprint(dir / "tokenizer.json"),
                             uint32_t(tok.vocabSize()), *tok.findAddedToken("<|eos|>")};
    data::ShardConfig shardConfig;
    shardConfig.validationFraction = validationFraction;
    cleaning::DocumentReader reader({dir / "corpus.jsonl"}, cleaning::ReaderOptions{});
    data::TextEncoder encode = [&](std::string_view text, std::vector<uint32_t>& out) {
        out.clear();
        tok.encode(text, tokenizer::SpecialPolicy::none(), out);
    };
    return data::buildShards(reader, encode, info, dir / "shards", shardConfig, 1);
}

inline const char* kConfig = R"([model]
vocab_size = 300
d_model = 32
num_layers = 2
context_length = 32
num_dense_layers = 1

[model.attention]
num_heads = 4
num_kv_heads = 2

[model.moe]
num_routed_experts = 4
num_shared_experts = 1
top_k = 2
expert_hidden_size = 32
bias_update_speed = 0.01

[data]
shards = "shards"
tokenizer = "tokenizer.json"

[train]
micro_batch_size = 4
grad_accum_steps = 2
max_steps = 6
eval_every = 3
eval_batches = 2

[optim]
lr = 0.01

[schedule]
warmup_steps = 2

[checkpoint]
every = 3
)";

}  // namespace tiny
