// One split (train or val) of a shard folder, read back as a single token stream, and the
// fixed-length training sequences packed from it.
//
// Packing: the stream is documents separated by <|eos|>; sequence i is the T + 1 tokens starting
// at i * T (inputs are the first T, targets the last T), so sequences cross document boundaries
// the way GPT-style pretraining does. The order of sequences is a seeded permutation per epoch.
#pragma once

#include "core/data/token_shard.h"

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace strata::data {

class TokenDataset {
public:
    // `split` is "train" or "val"; reads manifest.json and opens (and verifies) every shard.
    TokenDataset(const std::filesystem::path& folder, const std::string& split);

    uint64_t numTokens() const { return m_totalTokens; }
    uint32_t vocabSize() const { return m_vocabSize; }
    uint32_t eosId() const { return m_eosId; }
    const std::string& tokenizerFingerprint() const { return m_fingerprint; }
    // Copies tokens [begin, begin + out.size()) of the concatenated stream.
    void read(uint64_t begin, std::span<int64_t> out) const;

private:
    std::vector<TokenShard> m_shards;
    std::vector<uint64_t> m_shardStarts;  // offset of each shard in the stream
    uint64_t m_totalTokens = 0;
    uint32_t m_vocabSize = 0;
    uint32_t m_eosId = 0;
    std::string m_fingerprint;
};

class PackedSequences {
public:
    PackedSequences(const TokenDataset& dataset, uint32_t sequenceLength, uint64_t seed);

    uint64_t size() const { return m_numSequences; }
    // Writes the T + 1 tokens of the index-th sequence of `epoch` (in shuffled order) into out.
    void sequence(uint64_t epoch, uint64_t index, std::span<int64_t> out) const;

private:
    const TokenDataset& m_dataset;
    uint32_t m_sequenceLength;
    uint64_t m_seed;
    uint64_t m_numSequences;
};

}  // namespace strata::data
