// BpeTrainer: parallel word counting, then the incremental merge loop.
#include "core/tokenizer/bpe_trainer.h"

#include "core/common/error.h"
#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/u64_map.h"
#include "core/tokenizer/word_counter.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <set>
#include <unordered_map>

namespace strata::tokenizer {

std::vector<std::string> defaultSpecialTokens() {
    return {"<|bos|>", "<|eos|>", "<|pad|>", "<|system|>", "<|user|>", "<|assistant|>"};
}

namespace {

constexpr size_t kBlockBytes = 1 << 20;

// Cuts `text` into blocks of about kBlockBytes at "\n" followed by an ASCII letter.
void appendBlocks(std::string_view text, std::vector<std::string_view>& blocks) {
    size_t start = 0;
    while (text.size() - start > kBlockBytes) {
        size_t cut = std::string_view::npos;
        for (size_t pos = text.find('\n', start + kBlockBytes); pos != std::string_view::npos;
             pos = text.find('\n', pos + 1)) {
            char next = pos + 1 < text.size() ? text[pos + 1] : '\0';
            if ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z')) {
                cut = pos + 1;
                break;
            }
        }
        if (cut == std::string_view::npos) break;
        blocks.push_back(text.substr(start, cut - start));
        start = cut;
    }
    blocks.push_back(text.substr(start));
}

struct Word {
    size_t start;     // first symbol in the shared symbol array
    uint32_t length;  // symbols left after the merges so far
    uint64_t count;
};

struct PairStats {
    int64_t count = 0;
    std::vector<uint32_t> words;  // words that held the pair when it was counted (may repeat)
};

struct HeapEntry {
    int64_t count;
    uint64_t key;  // the pair, packed
};

// Heap order: lower count first, then lexicographically larger bytes, so the top is the most
// frequent pair with the smallest bytes (left token's, then right token's).
struct HeapLess {
    const std::vector<std::string>* tokenBytes;
    bool operator()(const HeapEntry& a, const HeapEntry& b) const {
        if (a.count != b.count) return a.count < b.count;
        const auto& bytes = *tokenBytes;
        int order = bytes[a.key >> 32].compare(bytes[b.key >> 32]);
        if (order == 0) order = bytes[uint32_t(a.key)].compare(bytes[uint32_t(b.key)]);
        return order > 0;
    }
};

// The merge loop's state.
class MergeState {
public:
    MergeState(const WordCounter& counts, std::vector<std::string>& tokenBytes)
        : m_tokenBytes(tokenBytes), m_pairIndex(1 << 16) {
        std::array<TokenId, 256> byteIds{};
        for (int id = 0; id < 256; ++id)
            byteIds[byteLevelOrder()[id]] = TokenId(id);
        counts.forEach([&](std::string_view word, uint64_t count) {
            if (word.size() < 2) return;
            m_words.push_back({m_symbols.size(), uint32_t(word.size()), count});
            for (char c : word)
                m_symbols.push_back(byteIds[uint8_t(c)]);
        });
        for (uint32_t w = 0; w < m_words.size(); ++w) {
            const Word& word = m_words[w];
            for (size_t i = 0; i + 1 < word.length; ++i) {
                PairStats& stats =
                    pair(packPair(m_symbols[word.start + i], m_symbols[word.start + i + 1]));
                stats.count += int64_t(word.count);
                stats.words.push_back(w);
            }
        }
        m_visited.assign(m_words.size(), ~uint32_t(0));
        m_pairIndex.forEach([&](uint64_t key, uint32_t index) {
            if (m_pairs[index - 1].count > 0) m_heap.push_back({m_pairs[index - 1].count, key});
        });
        std::make_heap(m_heap.begin(), m_heap.end(), HeapLess{&m_tokenBytes});
    }

    // The best pair and its count, or false when no pair is left.
    bool best(uint64_t& key, int64_t& count) {
        while (!m_heap.empty()) {
            HeapEntry top = m_heap.front();
            int64_t actual = pair(top.key).count;
            if (actual == top.count) {
                key = top.key;
                count = actual;
                return true;
            }
            std::pop_heap(m_heap.begin(), m_heap.end(), HeapLess{&m_tokenBytes});
            m_heap.pop_back();
            if (actual > 0) {
                m_heap.push_back({actual, top.key});
                std::push_heap(m_heap.begin(), m_heap.end(), HeapLess{&m_tokenBytes});
            }
        }
        return false;
    }

    // Replaces every occurrence of `key` by `merged` and updates the counts around them.
    void merge(uint64_t key, TokenId merged, uint32_t step) {
        const TokenId left = TokenId(key >> 32);
        const TokenId right = TokenId(key);
        std::vector<uint32_t> words = std::move(pair(key).words);
        m_newPairs.clear();
        for (uint32_t w : words) {
            if (m_visited[w] == step) continue;
            m_visited[w] = step;
            mergeWord(w, left, right, merged);
        }
        pair(key) = PairStats{};
        std::sort(m_newPairs.begin(), m_newPairs.end());
        m_newPairs.erase(std::unique(m_newPairs.begin(), m_newPairs.end()), m_newPairs.end());
        for (uint64_t newKey : m_newPairs) {
            int64_t count = pair(newKey).count;
            if (count <= 0) continue;
            m_heap.push_back({count, newKey});
            std::push_heap(m_heap.begin(), m_heap.end(), HeapLess{&m_tokenBytes});
        }
    }

private:
    PairStats& pair(uint64_t key) {
        uint32_t& index = m_pairIndex[key];
        if (index == 0) {
            m_pairs.emplace_back();
            index = uint32_t(m_pairs.size());
        }
        return m_pairs[index - 1];
    }

    void change(TokenId a, TokenId b, int64_t delta, uint32_t w, bool added) {
        uint64_t key = packPair(a, b);
        PairStats& stats = pair(key);
        stats.count += delta;
        if (added) {
            stats.words.push_back(w);
            m_newPairs.push_back(key);
        }
    }

    void mergeWord(uint32_t w, TokenId left, TokenId right, TokenId merged) {
        Word& word = m_words[w];
        TokenId* symbols = m_symbols.data() + word.start;
        const size_t length = word.length;
        const int64_t count = int64_t(word.count);
        size_t out = 0;
        for (size_t i = 0; i < length;) {
            if (i + 1 < length && symbols[i] == left && symbols[i + 1] == right) {
                if (out > 0) {
                    change(symbols[out - 1], left, -count, w, false);
                    change(symbols[out - 1], merged, count, w, true);
                }
                if (i + 2 < length) {
                    change(right, symbols[i + 2], -count, w, false);
                    change(merged, symbols[i + 2], count, w, true);
                }
                symbols[out++] = merged;
                i += 2;
            } else {
                symbols[out++] = symbols[i++];
            }
        }
        word.length = uint32_t(out);
    }

    std::vector<std::string>& m_tokenBytes;
    std::vector<Word> m_words;
    std::vector<TokenId> m_symbols;
    U64Map<uint32_t> m_pairIndex;  // pair -> 1 + index into m_pairs
    std::vector<PairStats> m_pairs;
    std::vector<HeapEntry> m_heap;
    std::vector<uint32_t> m_visited;  // last merge step that visited each word
    std::vector<uint64_t> m_newPairs;
};

}  // namespace

struct BpeTrainer::Counters {
    PreTokenizer preTokenizer;
    tbb::task_arena arena;
    tbb::enumerable_thread_specific<WordCounter> local;

    Counters(const TrainerConfig& config)
        : preTokenizer(config.splitPatterns),
          arena(config.numThreads > 0 ? config.numThreads : tbb::task_arena::automatic) {}
};

BpeTrainer::BpeTrainer(TrainerConfig config) : m_config(std::move(config)) {
    std::set<std::string> seen;
    for (const std::string& special : m_config.specialTokens) {
        if (special.empty()) common::fail("a special token is empty");
        if (!seen.insert(special).second)
            common::fail("special token '{}' is given twice", special);
    }
    size_t minimum = 256 + m_config.specialTokens.size();
    if (m_config.vocabSize < minimum)
        common::fail("vocabulary size {} is too small: the 256 bytes and {} special tokens need {}",
                     m_config.vocabSize, m_config.specialTokens.size(), minimum);
    m_counters = std::make_unique<Counters>(m_config);
}

BpeTrainer::~BpeTrainer() = default;

void BpeTrainer::addDocuments(std::span<const std::string_view> documents) {
    std::vector<std::string_view> blocks;
    for (std::string_view document : documents) {
        m_numBytes += document.size();
        appendBlocks(document, blocks);
    }
    Counters& counters = *m_counters;
    counters.arena.execute([&] {
        tbb::parallel_for(tbb::blocked_range<size_t>(0, blocks.size(), 1),
                          [&](const tbb::blocked_range<size_t>& range) {
                              WordCounter& counter = counters.local.local();
                              for (size_t i = range.begin(); i != range.end(); ++i)
                                  forEachTrainingPiece(
                                      blocks[i], m_config.specialTokens, counters.preTokenizer,
                                      [&](std::string_view piece) { counter.add(piece, 1); });
                          });
    });
}

TokenizerData BpeTrainer::train(const std::function<void(size_t, size_t)>& onProgress) {
    WordCounter counts;
    for (const WordCounter& local : m_counters->local)
        counts.addAll(local);
    m_counters->local.clear();

    std::vector<std::string> tokenBytes;
    for (uint8_t byte : byteLevelOrder())
        tokenBytes.emplace_back(1, char(byte));
    TokenizerData data;
    const size_t wanted = m_config.vocabSize - m_config.specialTokens.size();
    std::unordered_map<std::string, TokenId> idOf;
    for (TokenId id = 0; id < 256; ++id)
        idOf.emplace(tokenBytes[id], id);
    MergeState state(counts, tokenBytes);
    // Two different merges can spell the same bytes ("ab"+"c", "a"+"bc"); the second reuses
    // the first one's id, as Hugging Face's trainer does, so only new tokens count.
    for (uint32_t step = 0; tokenBytes.size() < wanted; ++step) {
        uint64_t key;
        int64_t count;
        if (!state.best(key, count) || uint64_t(count) < m_config.minFrequency) break;
        TokenId left = TokenId(key >> 32);
        TokenId right = TokenId(key);
        auto [it, added] =
            idOf.emplace(tokenBytes[left] + tokenBytes[right], TokenId(tokenBytes.size()));
        if (added) tokenBytes.push_back(it->first);
        data.merges.emplace_back(left, right);
        state.merge(key, it->second, step);
        if (onProgress && step % 256 == 0) onProgress(tokenBytes.size() - 256, wanted - 256);
    }
    if (onProgress) onProgress(tokenBytes.size() - 256, wanted - 256);

    data.tokens = std::move(tokenBytes);
    for (const std::string& special : m_config.specialTokens) {
        data.addedTokens.push_back({TokenId(data.tokens.size()), special, true});
        data.tokens.push_back(special);
    }
    data.preTokenizers = byteLevelSplits(m_config.splitPatterns);
    return data;
}

}  // namespace strata::tokenizer
