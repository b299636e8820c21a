// Exact duplicate removal, first occurrence wins: the key is the 128-bit XXH3 of the document's
// final text (after HTML extraction, masking and normalization), so documents differing only in
// white space, Unicode compatibility forms or masked URLs count as the same. 128 bits make a
// false match across even billions of documents practically impossible; memory is one set entry
// (about 48 bytes) per kept document.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_set>

namespace strata::cleaning {

struct ExactDedupOptions {
    bool enabled = true;
    bool operator==(const ExactDedupOptions&) const = default;
};

struct TextHash {
    uint64_t low = 0;
    uint64_t high = 0;
    bool operator==(const TextHash&) const = default;
};

TextHash hashText(std::string_view text);

class ExactDeduplicator {
public:
    // True when `hash` was seen before; otherwise remembers it and returns false.
    bool isDuplicateElseInsert(const TextHash& hash) { return !m_seen.insert(hash).second; }
    size_t size() const { return m_seen.size(); }

private:
    struct Hasher {
        size_t operator()(const TextHash& hash) const { return size_t(hash.low); }
    };
    std::unordered_set<TextHash, Hasher> m_seen;
};

}  // namespace strata::cleaning
