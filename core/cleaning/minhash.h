// MinHash signatures of documents for near-duplicate detection. A document's shingles are its
// runs of `shingleWords` consecutive words from the TextProfile (CJK characters are words there,
// so CJK text gets character shingles); each shingle is a 64-bit hash, and signature entry i is
// the minimum over shingles of the universal hash h_i(x) = (a_i * x + b_i) >> 32 (multiply-shift,
// a_i odd, drawn from a seeded generator). Two signatures agree in each entry with probability
// equal to the Jaccard similarity of the shingle sets.
//
// The LSH index that finds candidate pairs lives in near_dedup.h.
#pragma once

#include "core/cleaning/text_profile.h"

#include <cstdint>
#include <vector>

namespace strata::cleaning {

struct MinHashOptions {
    bool enabled = true;
    int shingleWords = 5;
    int numHashes = 128;
    int bands = 16;          // numHashes / bands rows per band
    double threshold = 0.8;  // estimated Jaccard at or above which a document is a duplicate
    int64_t seed = 1;
    bool operator==(const MinHashOptions&) const = default;
};

class MinHasher {
public:
    explicit MinHasher(const MinHashOptions& options);

    int numHashes() const { return int(m_multipliers.size()); }
    // Writes numHashes() values to `signature`. A document with no words gets all-ones (the
    // empty set); shorter than one shingle, its words form a single shingle.
    // `shingles` is scratch reused between calls.
    void signature(const TextProfile& profile, uint32_t* signature,
                   std::vector<uint64_t>& shingles) const;

    // The 64-bit shingle hashes of a profile (also what the exact-Jaccard reference uses).
    void shingleHashes(const TextProfile& profile, std::vector<uint64_t>& shingles) const;

private:
    int m_shingleWords;
    std::vector<uint64_t> m_multipliers;
    std::vector<uint64_t> m_offsets;
};

// The fraction of equal entries: the estimated Jaccard similarity of two signatures.
double estimatedJaccard(const uint32_t* a, const uint32_t* b, int numHashes);

}  // namespace strata::cleaning
