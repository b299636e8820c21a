// Near-duplicate removal over MinHash signatures, first occurrence wins. LSH: the signature is
// cut into `bands` bands of numHashes / bands rows; documents sharing any band are candidates,
// and a candidate pair counts as duplicate only when its estimated Jaccard (the share of equal
// signature entries) reaches the threshold. With 16 bands of 8 rows, pairs at Jaccard 0.8 become
// candidates with probability 1 - (1 - 0.8^8)^16 = 0.94, pairs at 0.9 with 0.9998.
//
// Memory: the index keeps the signature of every kept document (4 bytes per hash) and one bucket
// entry per band, about 1 KB per kept document with the defaults.
//
// findNearDuplicatesBruteForce() is the reference: every pair, no LSH. On corpora whose
// duplicates are clearly similar the two agree, which the tests check.
#pragma once

#include "core/cleaning/minhash.h"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace strata::cleaning {

class NearDuplicateIndex {
public:
    explicit NearDuplicateIndex(const MinHashOptions& options);

    // True when `signature` is a near duplicate of a document already kept; otherwise keeps it
    // (adds it to the index) and returns false.
    bool isDuplicateElseInsert(const uint32_t* signature);
    size_t size() const { return m_numKept; }

private:
    uint64_t bandKey(const uint32_t* signature, int band) const;

    int m_numHashes;
    int m_bands;
    int m_rows;
    double m_threshold;
    size_t m_numKept = 0;
    std::vector<uint32_t> m_signatures;                           // kept × numHashes
    std::vector<std::unordered_map<uint64_t, uint32_t>> m_heads;  // per band: key → newest kept
    std::vector<uint32_t> m_next;  // kept × bands: the previous kept document in the same bucket
    std::vector<uint32_t> m_checked;  // per kept document: the query that last compared it
    uint32_t m_query = 0;
};

// For each signature (numHashes values each, in order), whether it is a near duplicate of an
// earlier kept one: all pairs compared, no LSH.
std::vector<bool> findNearDuplicatesBruteForce(const std::vector<std::vector<uint32_t>>& signatures,
                                               double threshold);

}  // namespace strata::cleaning
