// What the cleaning settings would do, on a sample, before a run: documents drawn from each
// input (a seeded reservoir over its first documents, so a huge input costs no more than a small
// one) and put through the per-document stages: HTML, terminal escapes, masking, normalization
// and the filters. Dedup is decided over the whole corpus, so it shows only in a run's funnel.
#pragma once

#include "core/cleaning/clean_config.h"
#include "core/cleaning/reject_reason.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace strata::cleaning {

struct PreviewDocument {
    std::string source;  // the file it came from
    uint64_t line = 0;   // 1-based line in a .jsonl; 0 for whole-file documents
    std::string before;  // as read
    std::string after;   // as the filters saw it; empty when rejected before normalization
    RejectReason reason = RejectReason::Kept;
};

struct PreviewOptions {
    size_t documents = 60;         // in all, shared evenly by the inputs
    uint64_t scanPerInput = 5000;  // documents read from each input at most
    uint64_t seed = 1;
};

// Throws common::Error naming a missing input or a blocklist that cannot be read.
std::vector<PreviewDocument> previewCleaning(const CleanConfig& config,
                                             const std::vector<std::filesystem::path>& inputs,
                                             const PreviewOptions& options = {});

}  // namespace strata::cleaning
