// `strata-cli shard`: a cleaned corpus in, a folder of token shards out.
//
// Documents (HTML pages as their visible text) are tokenized in parallel and written in input
// order, each followed by <|eos|>, so a trainer packs them into fixed-length sequences by reading
// the stream (see token_dataset.h). Each document goes to the train or the validation split by a
// seeded hash of its index. Optionally, long documents are cut into overlapping chunks first (chunk
// 512, overlap 50, chunks under 256 tokens dropped). The folder appears complete or not at all:
// everything is written under a temporary name and renamed at the end, manifest.json included.
#pragma once

#include "core/cleaning/document_reader.h"
#include "core/common/config_reader.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace strata::data {

struct ChunkConfig {
    bool enabled = false;
    uint32_t length = 512;     // tokens a chunk holds at most
    uint32_t overlap = 50;     // tokens shared by neighbouring chunks
    uint32_t minLength = 256;  // shorter chunks (and documents) are dropped
};

struct ShardConfig {
    double validationFraction = 0.01;  // share of documents held out for validation
    uint64_t seed = 1234;              // decides the split
    uint64_t tokensPerShard = 1ull << 27;
    ChunkConfig chunking;

    // Reads the [shard] and [shard.chunking] tables; validates every value.
    void read(common::ConfigReader& config);
};

// The start offsets of the chunks of a document of `numTokens` tokens; each chunk is at most
// config.length long. Empty when even the first chunk is shorter than config.minLength.
std::vector<uint32_t> chunkStarts(uint32_t numTokens, const ChunkConfig& config);

struct SplitStats {
    uint64_t documents = 0;
    uint64_t tokens = 0;
    std::vector<std::string> files;
};

struct ShardReport {
    SplitStats train;
    SplitStats validation;
    uint64_t droppedChunks = 0;  // chunks (or documents) under chunking.minLength
    uint64_t emptyDocuments = 0;
    cleaning::ReaderStats reader;
};

struct TokenizerInfo {
    std::string path;
    std::string fingerprint;  // XXH3 of the tokenizer file, so a mismatch can be detected
    uint32_t vocabSize = 0;
    uint32_t eosId = 0;
};

// Must be safe to call from several threads at once.
using TextEncoder = std::function<void(std::string_view text, std::vector<uint32_t>& out)>;

ShardReport buildShards(cleaning::DocumentReader& reader, const TextEncoder& encode,
                        const TokenizerInfo& tokenizer, const std::filesystem::path& outDir,
                        const ShardConfig& config, int numThreads);

std::string shardReportJson(const ShardReport& report);

}  // namespace strata::data
