#include "core/cleaning/repetition_filter.h"

#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace strata::cleaning {

namespace {

constexpr uint64_t kRollingMultiplier = 0x9E3779B97F4A7C15ull;

// Lines without the empty ones; paragraphs are maximal runs of non-empty lines.
template <typename Visit>
void forEachParagraph(const TextProfile& profile, Visit visit) {
    const auto& lines = profile.lines();
    size_t i = 0;
    while (i < lines.size()) {
        if (lines[i].length == 0) {
            ++i;
            continue;
        }
        size_t j = i;
        while (j + 1 < lines.size() && lines[j + 1].length > 0)
            ++j;
        uint32_t begin = lines[i].begin;
        visit(TextSpan{begin, lines[j].begin + lines[j].length - begin});
        i = j + 1;
    }
}

double fraction(uint64_t part, uint64_t whole) {
    return whole ? double(part) / double(whole) : 0.0;
}

}  // namespace

void RepetitionFilter::resetTable(size_t entries) {
    size_t capacity = std::bit_ceil(std::max<size_t>(16, entries * 2));
    if (m_table.size() < capacity) m_table.resize(capacity, Slot{0, 0, 0, 0});
    if (++m_generation == 0) {  // wrapped: really clear once every 2^32 resets
        std::fill(m_table.begin(), m_table.end(), Slot{0, 0, 0, 0});
        m_generation = 1;
    }
    m_mask = capacity - 1;
}

RepetitionFilter::Slot& RepetitionFilter::find(uint64_t key) {
    size_t index = (key ^ (key >> 29)) & m_mask;
    for (;;) {
        Slot& slot = m_table[index];
        if (slot.generation != m_generation) {
            slot = Slot{key, 0, 0, m_generation};
            return slot;
        }
        if (slot.key == key) return slot;
        index = (index + 1) & m_mask;
    }
}

void RepetitionFilter::tally(const TextProfile& profile, TextSpan span, DuplicateTally& tally) {
    ++tally.spans;
    Slot& slot = find(XXH3_64bits(profile.text().data() + span.begin, span.length));
    if (slot.count++ > 0) {
        ++tally.duplicates;
        tally.duplicateBytes += span.length;
    }
}

void RepetitionFilter::measureLines(const TextProfile& profile, RepetitionStats& stats) {
    resetTable(profile.lines().size());
    DuplicateTally lines;
    for (TextSpan span : profile.lines())
        if (span.length > 0) tally(profile, span, lines);
    stats.duplicateLineFraction = fraction(lines.duplicates, lines.spans);
    stats.duplicateLineCharFraction = fraction(lines.duplicateBytes, profile.text().size());
}

void RepetitionFilter::measureParagraphs(const TextProfile& profile, RepetitionStats& stats) {
    resetTable(profile.lines().size());
    DuplicateTally paragraphs;
    forEachParagraph(profile, [&](TextSpan span) { tally(profile, span, paragraphs); });
    stats.duplicateParagraphFraction = fraction(paragraphs.duplicates, paragraphs.spans);
    stats.duplicateParagraphCharFraction =
        fraction(paragraphs.duplicateBytes, profile.text().size());
}

void RepetitionFilter::advanceNgrams(int n) {
    const auto& words = m_profile->wordHashes();
    if (n == 1) {
        m_ngramHashes.assign(words.begin(), words.end());
        return;
    }
    // The n-gram at i is the (n-1)-gram at i extended by word i+n-1; the last start drops off.
    size_t count = words.size() >= size_t(n) ? words.size() - size_t(n) + 1 : 0;
    for (size_t i = 0; i < count; ++i)
        m_ngramHashes[i] = m_ngramHashes[i] * kRollingMultiplier + words[i + size_t(n) - 1];
    m_ngramHashes.resize(count);
}

double RepetitionFilter::topNgramFraction(int n) {
    size_t count = m_ngramHashes.size();
    resetTable(count);
    uint32_t bestCount = 0;
    uint32_t bestFirst = 0;
    for (size_t i = 0; i < count; ++i) {
        Slot& slot = find(m_ngramHashes[i]);
        if (slot.count++ == 0) slot.first = uint32_t(i);
        // Ties go to the n-gram seen first, as Python's Counter.most_common does.
        if (slot.count > bestCount || (slot.count == bestCount && slot.first < bestFirst)) {
            bestCount = slot.count;
            bestFirst = slot.first;
        }
    }
    if (bestCount <= 1) return 0.0;
    // The joined n-gram: its words plus the n - 1 spaces between them.
    uint64_t length =
        m_lengthPrefix[bestFirst + size_t(n)] - m_lengthPrefix[bestFirst] + uint64_t(n - 1);
    return fraction(length * bestCount, m_profile->text().size());
}

double RepetitionFilter::duplicateNgramFraction(int n) {
    size_t count = m_ngramHashes.size();
    resetTable(count);
    uint64_t repeated = 0;
    size_t i = 0;
    while (i < count) {
        Slot& slot = find(m_ngramHashes[i]);
        if (slot.count > 0) {
            repeated += m_lengthPrefix[i + size_t(n)] - m_lengthPrefix[i];
            i += size_t(n);
        } else {
            slot.count = 1;
            ++i;
        }
    }
    return fraction(repeated, m_profile->text().size());
}

RejectReason RepetitionFilter::check(const TextProfile& profile, const RepetitionOptions& options) {
    if (!options.enabled) return RejectReason::Kept;
    m_profile = &profile;
    RepetitionStats stats;
    measureLines(profile, stats);
    measureParagraphs(profile, stats);
    RejectReason reason = judgeRepetition(stats, options);
    if (reason != RejectReason::Kept) return reason;

    const auto& words = profile.words();
    m_lengthPrefix.resize(words.size() + 1);
    m_lengthPrefix[0] = 0;
    for (size_t i = 0; i < words.size(); ++i)
        m_lengthPrefix[i + 1] = m_lengthPrefix[i] + words[i].length;
    advanceNgrams(1);
    bool anyRepeat = true;
    for (int k = 0; k < kNumTopNgrams; ++k) {
        int n = kTopNgramMin + k;
        advanceNgrams(n);
        // No repeated n-gram means no repeated longer one either.
        double value = anyRepeat ? topNgramFraction(n) : 0.0;
        anyRepeat = value > 0.0;
        if (value > options.maxTopNgramCharFraction[size_t(k)])
            return RejectReason(size_t(RejectReason::TopNgram2) + size_t(k));
    }
    for (int n = kTopNgramMin + kNumTopNgrams; n < kDuplicateNgramMin; ++n)
        advanceNgrams(n);
    for (int k = 0; k < kNumDuplicateNgrams; ++k) {
        int n = kDuplicateNgramMin + k;
        advanceNgrams(n);
        double value = duplicateNgramFraction(n);
        if (value > options.maxDuplicateNgramCharFraction[size_t(k)])
            return RejectReason(size_t(RejectReason::DuplicateNgram5) + size_t(k));
        if (value == 0.0) break;  // every 5-gram is unique, so every longer one is too
    }
    return RejectReason::Kept;
}

RepetitionStats RepetitionFilter::measure(const TextProfile& profile) {
    m_profile = &profile;
    RepetitionStats stats;
    measureLines(profile, stats);
    measureParagraphs(profile, stats);
    const auto& words = profile.words();
    m_lengthPrefix.resize(words.size() + 1);
    m_lengthPrefix[0] = 0;
    for (size_t i = 0; i < words.size(); ++i)
        m_lengthPrefix[i + 1] = m_lengthPrefix[i] + words[i].length;
    advanceNgrams(1);
    for (int n = 2; n < kDuplicateNgramMin + kNumDuplicateNgrams; ++n) {
        advanceNgrams(n);
        if (n < kTopNgramMin + kNumTopNgrams) {
            stats.topNgramCharFraction[size_t(n - kTopNgramMin)] = topNgramFraction(n);
        } else if (n >= kDuplicateNgramMin) {
            stats.duplicateNgramCharFraction[size_t(n - kDuplicateNgramMin)] =
                duplicateNgramFraction(n);
        }
    }
    return stats;
}

RejectReason judgeRepetition(const RepetitionStats& stats, const RepetitionOptions& options) {
    if (stats.duplicateLineFraction > options.maxDuplicateLineFraction)
        return RejectReason::DuplicateLines;
    if (stats.duplicateParagraphFraction > options.maxDuplicateParagraphFraction)
        return RejectReason::DuplicateParagraphs;
    if (stats.duplicateLineCharFraction > options.maxDuplicateLineCharFraction)
        return RejectReason::DuplicateLineChars;
    if (stats.duplicateParagraphCharFraction > options.maxDuplicateParagraphCharFraction)
        return RejectReason::DuplicateParagraphChars;
    for (size_t k = 0; k < kNumTopNgrams; ++k)
        if (stats.topNgramCharFraction[k] > options.maxTopNgramCharFraction[k])
            return RejectReason(size_t(RejectReason::TopNgram2) + k);
    for (size_t k = 0; k < kNumDuplicateNgrams; ++k)
        if (stats.duplicateNgramCharFraction[k] > options.maxDuplicateNgramCharFraction[k])
            return RejectReason(size_t(RejectReason::DuplicateNgram5) + k);
    return RejectReason::Kept;
}

RepetitionStats measureRepetitionReference(const TextProfile& profile) {
    std::string_view text = profile.text();
    RepetitionStats stats;
    auto findDuplicates = [&](const std::vector<std::string>& items, double& countFraction,
                              double& charFraction) {
        std::unordered_set<std::string> seen;
        uint64_t duplicates = 0, bytes = 0;
        for (const std::string& item : items) {
            if (!seen.insert(item).second) {
                ++duplicates;
                bytes += item.size();
            }
        }
        countFraction = fraction(duplicates, items.size());
        charFraction = fraction(bytes, text.size());
    };

    std::vector<std::string> lines;
    std::string current;
    for (char c : text) {
        if (c == '\n') {
            if (!current.empty()) lines.push_back(current);
            current.clear();
        } else {
            current.push_back(c);
        }
    }
    if (!current.empty()) lines.push_back(current);
    findDuplicates(lines, stats.duplicateLineFraction, stats.duplicateLineCharFraction);

    std::vector<std::string> paragraphs;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t split = text.find("\n\n", pos);
        if (split == std::string_view::npos) split = text.size();
        if (split > pos) paragraphs.emplace_back(text.substr(pos, split - pos));
        pos = split;
        while (pos < text.size() && text[pos] == '\n')
            ++pos;
    }
    findDuplicates(paragraphs, stats.duplicateParagraphFraction,
                   stats.duplicateParagraphCharFraction);

    std::vector<std::string> words;
    for (TextSpan span : profile.words())
        words.emplace_back(profile.slice(span));
    for (int n = 2; n < kDuplicateNgramMin + kNumDuplicateNgrams; ++n) {
        std::vector<std::string> ngrams;
        for (size_t i = 0; i + size_t(n) <= words.size(); ++i) {
            std::string joined = words[i];
            for (int k = 1; k < n; ++k)
                joined += " " + words[i + size_t(k)];
            ngrams.push_back(joined);
        }
        if (n < kTopNgramMin + kNumTopNgrams) {
            std::unordered_map<std::string, uint64_t> counts;
            for (const std::string& ngram : ngrams)
                ++counts[ngram];
            const std::string* best = nullptr;
            uint64_t bestCount = 0;
            for (const std::string& ngram : ngrams) {  // first seen wins ties
                if (counts[ngram] > bestCount) {
                    bestCount = counts[ngram];
                    best = &ngram;
                }
            }
            stats.topNgramCharFraction[size_t(n - kTopNgramMin)] =
                bestCount > 1 ? fraction(best->size() * bestCount, text.size()) : 0.0;
        } else if (n >= kDuplicateNgramMin) {
            std::unordered_set<std::string> unique;
            uint64_t repeated = 0;
            size_t i = 0;
            while (i < ngrams.size()) {
                if (unique.count(ngrams[i])) {
                    for (int k = 0; k < n; ++k)
                        repeated += words[i + size_t(k)].size();
                    i += size_t(n);
                } else {
                    unique.insert(ngrams[i]);
                    ++i;
                }
            }
            stats.duplicateNgramCharFraction[size_t(n - kDuplicateNgramMin)] =
                fraction(repeated, text.size());
        }
    }
    return stats;
}

}  // namespace strata::cleaning
