// Where every document went: read (and what the reader skipped), removed by each rule of each
// stage, written; and what the editing stages (html, terminal_escapes, mask) changed in the
// written documents. The counts always add up: documentsIn == sum(removed) + documentsOut.
// Reported as JSON (--report) and as a short human summary on stderr.
#pragma once

#include "core/cleaning/document_reader.h"
#include "core/cleaning/reject_reason.h"
#include "core/cleaning/text_masker.h"

#include <array>
#include <cstdint>
#include <string>

namespace strata::cleaning {

struct CleanFunnel {
    ReaderStats reader;
    uint64_t documentsIn = 0;  // documents the reader produced
    uint64_t bytesIn = 0;      // their text bytes as read
    std::array<uint64_t, kNumRejectReasons> removedDocuments{};
    std::array<uint64_t, kNumRejectReasons> removedBytes{};  // input bytes of removed documents
    uint64_t documentsOut = 0;
    uint64_t bytesOut = 0;  // cleaned text bytes written
    // Edits in written documents: markup converted to text (.html/.htm files, and .txt or JSONL
    // documents detected as markup), terminal escape sequences removed, placeholders inserted.
    uint64_t htmlFiles = 0;
    uint64_t htmlDetected = 0;
    uint64_t escapeDocuments = 0;
    uint64_t escapeSequences = 0;
    MaskCounts masks;
    double seconds = 0;

    uint64_t removedTotal() const;
    // {"input":…, "reader_skipped":…, "removed":[{"stage","reason","documents","bytes"}…],
    //  "output":…, "html":{"files","detected"}, "terminal_escapes":{"documents","sequences"},
    //  "masked":…, "seconds":…}; every rule is listed, zeros included.
    std::string toJson() const;
    // A few lines for stderr: in, each non-zero removal, out, and the edits that happened.
    std::string summary() const;
};

}  // namespace strata::cleaning
