// The per-document part of the pipeline, run in parallel: HTML extraction (of .html/.htm files,
// and of other documents whose text is markup), terminal escape removal, masking, normalization,
// then the filters in config order (words, entropy, gopher_quality, repetition, blocklist,
// script), stopping at the first that rejects; a kept document also gets its
// exact-dedup hash and MinHash signature. The corpus-wide part (dedup decisions, output) is in
// cleaning_pipeline.h. Everything a call needs to allocate lives in a per-thread Scratch that is
// reused, so steady-state cleaning allocates nothing per document.
#pragma once

#include "core/cleaning/clean_config.h"
#include "core/cleaning/document_reader.h"
#include "core/cleaning/exact_dedup.h"
#include "core/cleaning/minhash.h"
#include "core/cleaning/reject_reason.h"
#include "core/cleaning/repetition_filter.h"
#include "core/cleaning/text_profile.h"
#include "core/cleaning/word_blocklist.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace strata::cleaning {

// Why the html stage converted a document, if it did.
enum class HtmlConversion : uint8_t {
    None,
    File,      // an .html/.htm file
    Detected,  // a .txt or JSONL document whose text looked like markup
};

struct CleanedDocument {
    std::string text;  // the final text (what the filters saw); empty when rejected early
    RejectReason reason = RejectReason::Kept;
    TextHash hash;                    // when exact dedup is on
    std::vector<uint32_t> signature;  // when near dedup is on
    HtmlConversion html = HtmlConversion::None;
    size_t escapesRemoved = 0;  // terminal escape sequences
    MaskCounts masks;
};

class DocumentCleaner {
public:
    struct Scratch {
        std::string html;
        std::string unescaped;
        std::string masked;
        std::string nfkc;
        TextProfile profile;
        RepetitionFilter repetition;
        std::vector<uint64_t> shingles;
    };

    // Loads the blocklist; throws common::Error naming its file when missing.
    explicit DocumentCleaner(const CleanConfig& config);

    // Thread-safe as long as each thread passes its own Scratch.
    void clean(const Document& document, Scratch& scratch, CleanedDocument& out) const;

    const CleanConfig& config() const { return m_config; }

private:
    RejectReason filter(const TextProfile& profile, Scratch& scratch) const;

    CleanConfig m_config;
    WordBlocklist m_blocklist;
    std::array<bool, kNumScripts> m_allowedScripts{};
    MinHasher m_minHasher;
};

}  // namespace strata::cleaning
