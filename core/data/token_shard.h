// Binary token shards: the tokenized corpus the trainers read, memory-mapped.
//
// Layout (little-endian): a 64-byte header, then numTokens tokens of dtypeBytes each.
//   0  char[8]  magic "STRATOK1"
//   8  u32      version (1)
//  12  u32      dtypeBytes: 2 (uint16, vocabularies up to 65536) or 4 (uint32)
//  16  u64      numTokens
//  24  u64      numDocuments (each document ends with the <|eos|> separator)
//  32  u64      checksum: XXH3-64 of the token bytes
//  40  u32      vocabSize
//  44  u8[20]   zero
// Writing goes through AtomicFile, so a shard under its final name is always complete; opening
// checks the size against the header and, unless told not to, the checksum.
#pragma once

#include "core/common/atomic_file.h"
#include "core/common/mapped_file.h"

#include <bit>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace strata::data {

inline constexpr char kShardMagic[8] = {'S', 'T', 'R', 'A', 'T', 'O', 'K', '1'};
inline constexpr uint32_t kShardVersion = 1;
inline constexpr size_t kShardHeaderBytes = 64;

struct ShardHeader {
    uint32_t version = kShardVersion;
    uint32_t dtypeBytes = 2;
    uint64_t numTokens = 0;
    uint64_t numDocuments = 0;
    uint64_t checksum = 0;
    uint32_t vocabSize = 0;
};

// uint16 when every id fits, uint32 otherwise.
uint32_t shardDtypeBytes(uint32_t vocabSize);

// What identifies a shard folder's content, for the run history: XXH3-64 (hex) over its
// manifest.json and the headers of its .bin files in name order (each header holds the checksum
// of its tokens), so it reads 64 bytes a shard instead of every token.
std::string shardSetFingerprint(const std::filesystem::path& folder);

class TokenShardWriter {
public:
    TokenShardWriter(std::filesystem::path path, uint32_t vocabSize);
    ~TokenShardWriter();

    // Appends one document's tokens (the caller includes the <|eos|> separator).
    void addDocument(std::span<const uint32_t> tokens);
    uint64_t numTokens() const { return m_header.numTokens; }
    // Fills in the header and renames the shard into place.
    void finish();

private:
    common::AtomicFile m_file;
    ShardHeader m_header;
    struct HashState;
    std::unique_ptr<HashState> m_hash;
    std::vector<char> m_buffer;
};

class TokenShard {
public:
    // Throws common::Error naming the file: not a shard, unknown version, truncated, checksum.
    static TokenShard open(const std::filesystem::path& path, bool verifyChecksum = true);

    const ShardHeader& header() const { return m_header; }
    uint64_t size() const { return m_header.numTokens; }
    uint32_t token(uint64_t index) const;
    // Copies tokens [begin, begin + out.size()) into out.
    void read(uint64_t begin, std::span<int64_t> out) const;
    void read(uint64_t begin, std::span<uint32_t> out) const;
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
    common::MappedFile m_map;
    ShardHeader m_header;
    const char* m_tokens = nullptr;
};

}  // namespace strata::data
