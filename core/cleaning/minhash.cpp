#include "core/cleaning/minhash.h"

#include <xxhash.h>

#include <algorithm>
#include <limits>

namespace strata::cleaning {

namespace {

uint64_t splitMix64(uint64_t& state) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

}  // namespace

MinHasher::MinHasher(const MinHashOptions& options) : m_shingleWords(options.shingleWords) {
    uint64_t state = uint64_t(options.seed);
    m_multipliers.resize(size_t(options.numHashes));
    m_offsets.resize(size_t(options.numHashes));
    for (int i = 0; i < options.numHashes; ++i) {
        m_multipliers[size_t(i)] = splitMix64(state) | 1;
        m_offsets[size_t(i)] = splitMix64(state);
    }
}

void MinHasher::shingleHashes(const TextProfile& profile, std::vector<uint64_t>& shingles) const {
    const auto& words = profile.wordHashes();
    shingles.clear();
    if (words.empty()) return;
    size_t width = std::min(words.size(), size_t(m_shingleWords));
    size_t count = words.size() - width + 1;
    shingles.reserve(count);
    for (size_t i = 0; i < count; ++i)
        shingles.push_back(XXH3_64bits(words.data() + i, width * sizeof(uint64_t)));
}

void MinHasher::signature(const TextProfile& profile, uint32_t* signature,
                          std::vector<uint64_t>& shingles) const {
    shingleHashes(profile, shingles);
    size_t numHashes = m_multipliers.size();
    std::fill(signature, signature + numHashes, std::numeric_limits<uint32_t>::max());
    const uint64_t* a = m_multipliers.data();
    const uint64_t* b = m_offsets.data();
    // Shingle-major order: the inner loop over hash functions is branch-free and vectorizes.
    for (uint64_t x : shingles) {
        for (size_t i = 0; i < numHashes; ++i) {
            auto h = uint32_t((a[i] * x + b[i]) >> 32);
            signature[i] = std::min(signature[i], h);
        }
    }
}

double estimatedJaccard(const uint32_t* a, const uint32_t* b, int numHashes) {
    int equal = 0;
    for (int i = 0; i < numHashes; ++i)
        equal += a[i] == b[i];
    return double(equal) / double(numHashes);
}

}  // namespace strata::cleaning
