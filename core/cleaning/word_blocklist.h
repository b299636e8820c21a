// The blocklist filter: a set of words read from a file (one per line, '#' starts a comment,
// blank lines ignored), matched case-insensitively (ASCII case folding) against whole words of
// the document after trimming the punctuation around them. A document is removed when it holds
// at least minHits blocked words. Multi-word phrases are not supported: one word per line.
#pragma once

#include "core/cleaning/reject_reason.h"
#include "core/cleaning/text_profile.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_set>

namespace strata::cleaning {

struct BlocklistOptions {
    std::string path;  // empty: no blocklist
    int64_t minHits = 1;
    bool operator==(const BlocklistOptions&) const = default;
};

class WordBlocklist {
public:
    WordBlocklist() = default;
    // Throws common::Error naming the file when it cannot be read.
    static WordBlocklist fromFile(const std::filesystem::path& path);
    static WordBlocklist fromWords(const std::vector<std::string>& words);

    bool empty() const { return m_hashes.empty(); }
    size_t size() const { return m_hashes.size(); }
    bool contains(std::string_view word) const;
    uint64_t countHits(const TextProfile& profile, uint64_t stopAt) const;
    RejectReason check(const TextProfile& profile, int64_t minHits) const;

    // The folded hash a word is matched by: ASCII-lowercased, surrounding punctuation trimmed.
    static uint64_t foldedHash(std::string_view word);

private:
    std::unordered_set<uint64_t> m_hashes;
};

}  // namespace strata::cleaning
