#include "core/data/token_shard.h"

#include "core/common/error.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <string>

namespace strata::data {

using common::fail;

namespace {

void put32(char* at, uint32_t value) {
    std::memcpy(at, &value, 4);
}
void put64(char* at, uint64_t value) {
    std::memcpy(at, &value, 8);
}
uint32_t get32(const char* at) {
    uint32_t value;
    std::memcpy(&value, at, 4);
    return value;
}
uint64_t get64(const char* at) {
    uint64_t value;
    std::memcpy(&value, at, 8);
    return value;
}

void encodeHeader(const ShardHeader& header, char* out) {
    std::memset(out, 0, kShardHeaderBytes);
    std::memcpy(out, kShardMagic, 8);
    put32(out + 8, header.version);
    put32(out + 12, header.dtypeBytes);
    put64(out + 16, header.numTokens);
    put64(out + 24, header.numDocuments);
    put64(out + 32, header.checksum);
    put32(out + 40, header.vocabSize);
}

}  // namespace

static_assert(std::endian::native == std::endian::little, "token shards are little-endian");

uint32_t shardDtypeBytes(uint32_t vocabSize) {
    return vocabSize <= 65536 ? 2 : 4;
}

struct TokenShardWriter::HashState {
    XXH3_state_t* state = XXH3_createState();
    ~HashState() { XXH3_freeState(state); }
};

TokenShardWriter::TokenShardWriter(std::filesystem::path path, uint32_t vocabSize)
    : m_file(std::move(path)), m_hash(std::make_unique<HashState>()) {
    m_header.vocabSize = vocabSize;
    m_header.dtypeBytes = shardDtypeBytes(vocabSize);
    XXH3_64bits_reset(m_hash->state);
    char header[kShardHeaderBytes];
    encodeHeader(m_header, header);  // placeholder until finish() knows the counts
    m_file.write(header, sizeof header);
}

TokenShardWriter::~TokenShardWriter() = default;

void TokenShardWriter::addDocument(std::span<const uint32_t> tokens) {
    m_buffer.resize(tokens.size() * m_header.dtypeBytes);
    if (m_header.dtypeBytes == 2) {
        auto* out = reinterpret_cast<uint16_t*>(m_buffer.data());
        for (size_t i = 0; i < tokens.size(); ++i)
            out[i] = uint16_t(tokens[i]);
    } else {
        std::memcpy(m_buffer.data(), tokens.data(), m_buffer.size());
    }
    XXH3_64bits_update(m_hash->state, m_buffer.data(), m_buffer.size());
    m_file.write(m_buffer.data(), m_buffer.size());
    m_header.numTokens += tokens.size();
    m_header.numDocuments += 1;
}

void TokenShardWriter::finish() {
    m_header.checksum = XXH3_64bits_digest(m_hash->state);
    char header[kShardHeaderBytes];
    encodeHeader(m_header, header);
    m_file.writeAt(0, header, sizeof header);
    m_file.commit();
}

TokenShard TokenShard::open(const std::filesystem::path& path, bool verifyChecksum) {
    TokenShard shard;
    shard.m_path = path;
    shard.m_map = common::MappedFile(path);
    const char* data = shard.m_map.data();
    size_t size = shard.m_map.size();
    if (size < kShardHeaderBytes || std::memcmp(data, kShardMagic, 8) != 0)
        fail("{}: not a Strata token shard (bad magic)", path.string());
    ShardHeader& header = shard.m_header;
    header.version = get32(data + 8);
    header.dtypeBytes = get32(data + 12);
    header.numTokens = get64(data + 16);
    header.numDocuments = get64(data + 24);
    header.checksum = get64(data + 32);
    header.vocabSize = get32(data + 40);
    if (header.version != kShardVersion)
        fail("{}: shard format version {}, this build reads version {} — re-run `strata-cli shard`",
             path.string(), header.version, kShardVersion);
    if (header.dtypeBytes != 2 && header.dtypeBytes != 4)
        fail("{}: invalid token size {} in header", path.string(), header.dtypeBytes);
    uint64_t expected = kShardHeaderBytes + header.numTokens * header.dtypeBytes;
    if (size != expected)
        fail("{}: truncated or padded: header says {} tokens ({} bytes), file has {} bytes",
             path.string(), header.numTokens, expected, size);
    shard.m_tokens = data + kShardHeaderBytes;
    if (verifyChecksum &&
        XXH3_64bits(shard.m_tokens, header.numTokens * header.dtypeBytes) != header.checksum)
        fail("{}: checksum mismatch: the token data is corrupt", path.string());
    return shard;
}

uint32_t TokenShard::token(uint64_t index) const {
    if (m_header.dtypeBytes == 2) {
        uint16_t value;
        std::memcpy(&value, m_tokens + index * 2, 2);
        return value;
    }
    return get32(m_tokens + index * 4);
}

void TokenShard::read(uint64_t begin, std::span<int64_t> out) const {
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = token(begin + i);
}

void TokenShard::read(uint64_t begin, std::span<uint32_t> out) const {
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = token(begin + i);
}

std::string shardSetFingerprint(const std::filesystem::path& folder) {
    std::vector<std::filesystem::path> shards;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
        if (entry.path().extension() == ".bin") shards.push_back(entry.path());
    std::sort(shards.begin(), shards.end());
    XXH3_state_t* state = XXH3_createState();
    XXH3_64bits_reset(state);
    auto hash = [&](const std::filesystem::path& path, size_t maxBytes) {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            XXH3_freeState(state);
            common::fail("{}: cannot read it to fingerprint the shard set", path.string());
        }
        std::string bytes(maxBytes, '\0');
        in.read(bytes.data(), std::streamsize(maxBytes));
        XXH3_64bits_update(state, bytes.data(), size_t(in.gcount()));
    };
    hash(folder / "manifest.json", size_t(1) << 24);
    for (const std::filesystem::path& shard : shards)
        hash(shard, kShardHeaderBytes);
    uint64_t digest = XXH3_64bits_digest(state);
    XXH3_freeState(state);
    return fmt::format("{:016x}", digest);
}

}  // namespace strata::data
