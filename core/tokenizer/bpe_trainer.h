// Byte-level BPE training, the incremental way: documents are pre-tokenized and counted in
// parallel into a table of unique words; merging then keeps pair -> count and pair -> words
// indexes up to date word by word (only the words holding the merged pair are touched) and
// picks the next pair from a priority queue whose stale entries are fixed when they surface.
//
// Deterministic: the most frequent pair wins; among pairs of equal count, the one whose bytes
// (left token's bytes, then right token's bytes) compare lexicographically smallest. Nothing
// depends on thread count, document order or batch boundaries.
//
// Vocabulary layout: ids 0-255 are the bytes in GPT-2's bytes_to_unicode order (byte_level.h),
// then one id per new token in merge order, then the special tokens in the order given.
// reference_bpe.h holds the plain trainer (full recount per merge) that the tests compare with.
#pragma once

#include "core/tokenizer/tokenizer_data.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace strata::tokenizer {

std::vector<std::string> defaultSpecialTokens();

struct TrainerConfig {
    size_t vocabSize = 32000;   // everything: 256 bytes + merges + special tokens
    uint64_t minFrequency = 2;  // a pair seen fewer times is never merged
    std::vector<std::string> specialTokens = defaultSpecialTokens();
    std::vector<std::string> splitPatterns{std::string(kCl100kPattern)};
    int numThreads = 0;  // 0: every core
};

class BpeTrainer {
public:
    // Throws common::Error when the configuration cannot work (vocabulary smaller than the bytes
    // and special tokens, empty or repeated special tokens, a pattern that does not compile).
    explicit BpeTrainer(TrainerConfig config);
    ~BpeTrainer();

    // Pre-tokenizes and counts documents on all threads; call as often as needed. Long
    // documents are cut into blocks at line starts followed by an ASCII letter, which both known
    // patterns split at anyway, so that one big file still uses every core.
    void addDocuments(std::span<const std::string_view> documents);

    uint64_t numBytes() const { return m_numBytes; }

    // Runs the merges and returns the tokenizer. onProgress(merges done, merges wanted) is
    // called now and then from this thread.
    TokenizerData train(const std::function<void(size_t, size_t)>& onProgress = {});

private:
    struct Counters;
    TrainerConfig m_config;
    std::unique_ptr<Counters> m_counters;
    uint64_t m_numBytes = 0;
};

}  // namespace strata::tokenizer
