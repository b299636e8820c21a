#include "core/cleaning/near_dedup.h"

#include <xxhash.h>

namespace strata::cleaning {

namespace {
constexpr uint32_t kNone = UINT32_MAX;
}

NearDuplicateIndex::NearDuplicateIndex(const MinHashOptions& options)
    : m_numHashes(options.numHashes),
      m_bands(options.bands),
      m_rows(options.numHashes / options.bands),
      m_threshold(options.threshold),
      m_heads(size_t(options.bands)) {}

uint64_t NearDuplicateIndex::bandKey(const uint32_t* signature, int band) const {
    return XXH3_64bits(signature + band * m_rows, size_t(m_rows) * sizeof(uint32_t));
}

bool NearDuplicateIndex::isDuplicateElseInsert(const uint32_t* signature) {
    ++m_query;
    uint64_t keys[1024];
    for (int band = 0; band < m_bands; ++band) {
        keys[band] = bandKey(signature, band);
        auto found = m_heads[size_t(band)].find(keys[band]);
        if (found == m_heads[size_t(band)].end()) continue;
        for (uint32_t doc = found->second; doc != kNone;
             doc = m_next[size_t(doc) * size_t(m_bands) + size_t(band)]) {
            if (m_checked[doc] == m_query) continue;
            m_checked[doc] = m_query;
            const uint32_t* other = m_signatures.data() + size_t(doc) * size_t(m_numHashes);
            if (estimatedJaccard(signature, other, m_numHashes) >= m_threshold) return true;
        }
    }
    auto id = uint32_t(m_numKept++);
    m_signatures.insert(m_signatures.end(), signature, signature + m_numHashes);
    m_checked.push_back(m_query);
    for (int band = 0; band < m_bands; ++band) {
        auto [it, inserted] = m_heads[size_t(band)].try_emplace(keys[band], id);
        m_next.push_back(inserted ? kNone : it->second);
        it->second = id;
    }
    return false;
}

std::vector<bool> findNearDuplicatesBruteForce(const std::vector<std::vector<uint32_t>>& signatures,
                                               double threshold) {
    std::vector<bool> duplicate(signatures.size(), false);
    std::vector<size_t> kept;
    for (size_t i = 0; i < signatures.size(); ++i) {
        for (size_t j : kept) {
            int numHashes = int(signatures[i].size());
            if (estimatedJaccard(signatures[i].data(), signatures[j].data(), numHashes) >=
                threshold) {
                duplicate[i] = true;
                break;
            }
        }
        if (!duplicate[i]) kept.push_back(i);
    }
    return duplicate;
}

}  // namespace strata::cleaning
