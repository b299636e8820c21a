#include "core/data/token_dataset.h"

#include "core/common/error.h"

#include <simdjson.h>

#include <algorithm>

namespace strata::data {

namespace fs = std::filesystem;
using common::fail;

TokenDataset::TokenDataset(const fs::path& folder, const std::string& split) {
    fs::path manifestPath = folder / "manifest.json";
    if (!fs::exists(manifestPath))
        fail("{}: not a shard folder (no manifest.json)", folder.string());
    simdjson::dom::parser parser;
    simdjson::dom::element manifest;
    if (parser.load(manifestPath.string()).get(manifest))
        fail("{}: not valid JSON", manifestPath.string());
    std::string splitKey = split == "val" ? "validation" : split;
    if (split != "train" && split != "val") fail("unknown split '{}' (train or val)", split);
    simdjson::dom::array files;
    uint64_t vocabSize = 0, eosId = 0;
    std::string_view fingerprint;
    if (manifest["report"][splitKey]["files"].get(files) ||
        manifest["tokenizer"]["vocab_size"].get(vocabSize) ||
        manifest["tokenizer"]["eos_id"].get(eosId) ||
        manifest["tokenizer"]["fingerprint"].get(fingerprint))
        fail("{}: missing or malformed field (expected report.{}.files and tokenizer.*)",
             manifestPath.string(), splitKey);
    m_vocabSize = uint32_t(vocabSize);
    m_eosId = uint32_t(eosId);
    m_fingerprint = std::string(fingerprint);
    for (simdjson::dom::element file : files) {
        std::string_view name;
        if (file.get(name) || name.find('/') != std::string_view::npos)
            fail("{}: malformed shard file name", manifestPath.string());
        TokenShard shard = TokenShard::open(folder / std::string(name));
        if (shard.header().vocabSize != m_vocabSize)
            fail("{}: vocabulary size {} does not match the manifest's {}", shard.path().string(),
                 shard.header().vocabSize, m_vocabSize);
        m_shardStarts.push_back(m_totalTokens);
        m_totalTokens += shard.size();
        m_shards.push_back(std::move(shard));
    }
}

void TokenDataset::read(uint64_t begin, std::span<int64_t> out) const {
    if (begin + out.size() > m_totalTokens)
        fail("read of tokens [{}, {}) past the end of a {}-token dataset", begin,
             begin + out.size(), m_totalTokens);
    size_t shardIndex = size_t(std::upper_bound(m_shardStarts.begin(), m_shardStarts.end(), begin) -
                               m_shardStarts.begin()) -
                        1;
    size_t written = 0;
    while (written < out.size()) {
        const TokenShard& shard = m_shards[shardIndex];
        uint64_t offset = begin + written - m_shardStarts[shardIndex];
        size_t take = size_t(std::min<uint64_t>(out.size() - written, shard.size() - offset));
        shard.read(offset, out.subspan(written, take));
        written += take;
        ++shardIndex;
    }
}

namespace {

// A bijection on [0, n) keyed by (seed, epoch): a 4-round Feistel network over the next power of
// two, cycle-walking until the value lands inside the range. No table, O(1) memory.
uint64_t permute(uint64_t index, uint64_t n, uint64_t key) {
    int bits = 2;
    while ((1ull << bits) < n)
        ++bits;
    bits += bits & 1;
    int half = bits / 2;
    uint64_t mask = (1ull << half) - 1;
    do {
        uint64_t left = index >> half, right = index & mask;
        for (uint64_t round = 0; round < 4; ++round) {
            uint64_t mixed = (right + key + round * 0x9E3779B97F4A7C15ull) * 0xBF58476D1CE4E5B9ull;
            mixed ^= mixed >> 31;
            uint64_t next = left ^ (mixed & mask);
            left = right;
            right = next;
        }
        index = (left << half) | right;
    } while (index >= n);
    return index;
}

}  // namespace

PackedSequences::PackedSequences(const TokenDataset& dataset, uint32_t sequenceLength,
                                 uint64_t seed)
    : m_dataset(dataset), m_sequenceLength(sequenceLength), m_seed(seed) {
    if (sequenceLength == 0) fail("sequence length must be positive");
    m_numSequences =
        dataset.numTokens() > sequenceLength ? (dataset.numTokens() - 1) / sequenceLength : 0;
}

void PackedSequences::sequence(uint64_t epoch, uint64_t index, std::span<int64_t> out) const {
    if (out.size() != size_t(m_sequenceLength) + 1) fail("sequence buffer must hold T + 1 tokens");
    if (index >= m_numSequences)
        fail("sequence {} out of range ({} sequences)", index, m_numSequences);
    uint64_t position = permute(index, m_numSequences, m_seed * 0x100000001B3ull + epoch);
    m_dataset.read(position * m_sequenceLength, out);
}

}  // namespace strata::data
