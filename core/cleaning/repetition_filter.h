// The Gopher repetition rules (Rae et al. 2021, table A1), with the thresholds and the exact
// counting of datatrove's GopherRepetitionFilter: duplicate lines and paragraphs (by count and by
// characters), the share of characters in the most frequent 2-, 3- and 4-gram, and the share of
// characters in duplicated 5- to 10-grams. Fractions of characters are fractions of the UTF-8
// bytes of the document.
//
// RepetitionFilter is the fast path: word n-grams are 64-bit rolling hashes of word hashes,
// counted in flat open-addressing tables reused across documents (no string is built).
// measureRepetitionReference() counts the same things with std::string keys, the plain way; the
// tests check the two agree.
#pragma once

#include "core/cleaning/reject_reason.h"
#include "core/cleaning/text_profile.h"

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace strata::cleaning {

inline constexpr int kTopNgramMin = 2;  // top n-gram rules for n = 2, 3, 4
inline constexpr int kNumTopNgrams = 3;
inline constexpr int kDuplicateNgramMin = 5;  // duplicate n-gram rules for n = 5 .. 10
inline constexpr int kNumDuplicateNgrams = 6;

struct RepetitionOptions {
    bool enabled = true;
    double maxDuplicateLineFraction = 0.30;
    double maxDuplicateParagraphFraction = 0.30;
    double maxDuplicateLineCharFraction = 0.20;
    double maxDuplicateParagraphCharFraction = 0.20;
    std::array<double, kNumTopNgrams> maxTopNgramCharFraction = {0.20, 0.18, 0.16};
    std::array<double, kNumDuplicateNgrams> maxDuplicateNgramCharFraction = {0.15, 0.14, 0.13,
                                                                             0.12, 0.11, 0.10};
    bool operator==(const RepetitionOptions&) const = default;
};

struct RepetitionStats {
    double duplicateLineFraction = 0;
    double duplicateParagraphFraction = 0;
    double duplicateLineCharFraction = 0;
    double duplicateParagraphCharFraction = 0;
    std::array<double, kNumTopNgrams> topNgramCharFraction{};
    std::array<double, kNumDuplicateNgrams> duplicateNgramCharFraction{};
};

// Not thread-safe: each thread keeps its own (the tables are its scratch memory).
class RepetitionFilter {
public:
    // The first rule `profile` breaks, or Kept; stops measuring at the first failure.
    RejectReason check(const TextProfile& profile, const RepetitionOptions& options);
    // Every ratio, for tests and diagnostics.
    RepetitionStats measure(const TextProfile& profile);

    // A flat hash table from 64-bit keys to a count and the first position seen. A slot whose
    // generation is not the table's current one is empty, so clearing the table is O(1).
    struct Slot {
        uint64_t key;
        uint32_t count;
        uint32_t first;
        uint32_t generation;
    };

private:
    // Lines or paragraphs seen, and those equal to an earlier one (count and bytes).
    struct DuplicateTally {
        uint64_t spans = 0;
        uint64_t duplicates = 0;
        uint64_t duplicateBytes = 0;
    };
    void tally(const TextProfile& profile, TextSpan span, DuplicateTally& tally);
    void measureLines(const TextProfile& profile, RepetitionStats& stats);
    void measureParagraphs(const TextProfile& profile, RepetitionStats& stats);
    // n-gram hashes for n (extends m_ngramHashes from n - 1).
    void advanceNgrams(int n);
    double topNgramFraction(int n);
    double duplicateNgramFraction(int n);
    void resetTable(size_t entries);
    Slot& find(uint64_t key);

    std::vector<Slot> m_table;
    uint64_t m_mask = 0;
    uint32_t m_generation = 0;
    std::vector<uint64_t> m_ngramHashes;   // hash of the n-gram starting at each word
    std::vector<uint64_t> m_lengthPrefix;  // bytes of words [0, i)
    const TextProfile* m_profile = nullptr;
};

// The plain version: std::string n-grams in std::unordered_map, datatrove's loops.
RepetitionStats measureRepetitionReference(const TextProfile& profile);

// The first threshold `stats` breaks, in the order RejectReason lists them.
RejectReason judgeRepetition(const RepetitionStats& stats, const RepetitionOptions& options);

}  // namespace strata::cleaning
