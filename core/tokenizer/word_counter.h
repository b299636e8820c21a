// The first half of BPE training: training text -> counts of unique pre-tokens ("words").
// Text is cut at special tokens (never learned from), invalid UTF-8 is replaced as in encode(),
// and the pieces come from the same PreTokenizer encode() uses.
#pragma once

#include "core/tokenizer/pre_tokenizer.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata::tokenizer {

// Calls onPiece(std::string_view) for every pre-token of `text` outside the special tokens.
template <typename OnPiece>
void forEachTrainingPiece(std::string_view text, const std::vector<std::string>& specials,
                          const PreTokenizer& preTokenizer, OnPiece&& onPiece);

// A hash map from word bytes to count, with the words in one arena.
class WordCounter {
public:
    WordCounter();
    void add(std::string_view word, uint64_t count);
    void addAll(const WordCounter& other);
    size_t size() const { return m_size; }

    // Calls f(std::string_view word, uint64_t count) for every word.
    template <typename F>
    void forEach(F&& f) const {
        for (const Slot& slot : m_slots)
            if (slot.count != 0)
                f(std::string_view(m_arena.data() + slot.offset, slot.length), slot.count);
    }

private:
    struct Slot {
        uint64_t hash = 0;
        uint64_t count = 0;  // 0: empty
        uint64_t offset = 0;
        uint64_t length = 0;
    };
    void grow();

    std::vector<Slot> m_slots;
    std::string m_arena;
    size_t m_size = 0;
};

// Shared by forEachTrainingPiece's instantiations.
std::string_view validTrainingText(std::string_view text, std::string& replaced);

template <typename OnPiece>
void forEachTrainingPiece(std::string_view text, const std::vector<std::string>& specials,
                          const PreTokenizer& preTokenizer, OnPiece&& onPiece) {
    std::string replaced;
    text = validTrainingText(text, replaced);
    // Next occurrence of each special token at or after `segment`, found lazily.
    std::vector<size_t> nextAt(specials.size(), 0);
    std::vector<bool> known(specials.size(), false);
    size_t segment = 0;
    while (true) {
        size_t cut = text.size();
        size_t cutLength = 0;
        for (size_t k = 0; k < specials.size(); ++k) {
            if (!known[k] || nextAt[k] < segment) {
                nextAt[k] = std::min(text.find(specials[k], segment), text.size());
                known[k] = true;
            }
            if (nextAt[k] < cut || (nextAt[k] == cut && specials[k].size() > cutLength)) {
                cut = nextAt[k];
                cutLength = specials[k].size();
            }
        }
        preTokenizer.split(text.substr(segment, cut - segment), onPiece);
        if (cut == text.size()) return;
        segment = cut + cutLength;
    }
}

}  // namespace strata::tokenizer
